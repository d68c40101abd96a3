import { startApp, type RunningApp } from '../../dev/support/app-harness';
import { api } from '../../dev/support/admin-api';
import { createTenant } from '../../dev/support/tenants';
import { newWaId } from '../../dev/support/webhook';
import { expectLedgerInvariant } from '../billing/support/billing-harness';

/**
 * Admin input PostgreSQL cannot store (NUL, unpaired surrogates) is a 400 naming the field,
 * never a 500; payment references are compared normalized, so a variant does not credit again.
 */
describe('Admin API input hardening (e2e, real PostgreSQL)', () => {
  let t: RunningApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  const NASTY = ['Abarrotes\u0000', 'Abarrotes \ud800', 'Abarrotes \udc00x'];

  it.each(NASTY)('shop name %j → 400 naming the field, nothing stored', async (name) => {
    const ownerWaId = newWaId();
    const res = await api<{ errors: { field: string }[] }>(t, 'POST', '/admin/tenants', {
      body: { name, ownerWaId },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.field)).toEqual(['name']);
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM tenant_users WHERE wa_id = $1`,
      [`+${ownerWaId.replace(/^521/, '52')}`],
    );
    expect(n).toBe(0);
  });

  it.each(NASTY)('product name %j → 400', async (name) => {
    const shop = await createTenant(t.db);
    const res = await api<{ errors: { field: string }[] }>(
      t,
      'POST',
      `/admin/tenants/${shop.id}/products`,
      { body: [{ name, priceCents: 1800, costCents: 1200 }] },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.field)).toEqual(['[0].name']);
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM products WHERE tenant_id = $1`,
      [shop.id],
    );
    expect(n).toBe(0);
  });

  it.each(['SPEI\u0000-1', 'SPEI-\ud800'])('paymentRef %j → 400', async (paymentRef) => {
    const shop = await createTenant(t.db);
    const res = await api<{ errors: { field: string }[] }>(
      t,
      'POST',
      `/admin/tenants/${shop.id}/purchases`,
      { body: { packageCode: 'basico', paymentRef } },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.field)).toEqual(['paymentRef']);
    await expectLedgerInvariant(t.db, shop.id);
  });

  it.each(['sk-or-v1-abc\u0000def', 'sk-or-v1-abc\ud800def'])('apiKey %j → 400', async (apiKey) => {
    const shop = await createTenant(t.db);
    const res = await api<{ errors: { field: string }[] }>(
      t,
      'PUT',
      `/admin/tenants/${shop.id}/llm-config`,
      { body: { apiKey } },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.field)).toEqual(['apiKey']);
  });

  it('credits one payment once whatever case, width or invisible characters its reference is typed with', async () => {
    const shop = await createTenant(t.db);
    const base = `spei-${shop.id.slice(0, 8)}-a`;
    const variants = [
      base,
      base.toUpperCase(),
      ` ${base}\t`,
      base.replace('-', '\u200b-'),
      base.replace('s', '\ufeffs').replace('a', 'a\u200d'),
      base.replace('spei', 'ＳＰＥＩ'), // full-width, as some phone keyboards paste it
    ];
    const statuses: number[] = [];
    for (const paymentRef of variants) {
      const res = await api(t, 'POST', `/admin/tenants/${shop.id}/purchases`, {
        body: { packageCode: 'basico', paymentRef },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 200, 200, 200, 200, 200]);
    const purchases: { payment_ref: string }[] = await t.db.query(
      `SELECT payment_ref FROM token_purchases WHERE tenant_id = $1`,
      [shop.id],
    );
    expect(purchases).toEqual([{ payment_ref: base.toUpperCase() }]);
    const [{ credits }] = await t.db.query(
      `SELECT count(*)::int AS credits FROM token_ledger WHERE tenant_id = $1 AND entry_type = 'credit'`,
      [shop.id],
    );
    expect(credits).toBe(1);
    await expectLedgerInvariant(t.db, shop.id);
    // Only invisible characters: nothing left to identify a payment.
    const empty = await api(t, 'POST', `/admin/tenants/${shop.id}/purchases`, {
      body: { packageCode: 'basico', paymentRef: '\u200b\u200c ' },
    });
    expect(empty.status).toBe(400);
  });
});
