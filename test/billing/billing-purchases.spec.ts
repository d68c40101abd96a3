import {
  balanceText,
  lowBalanceText,
  OUT_OF_TOKENS_TEXT,
  packagesList,
  purchaseRequestedText,
  UNKNOWN_PACKAGE_TEXT,
} from '../../src/assistant/replies/billing-replies';
import { PaymentRefConflictError, UnknownPackageError } from '../../src/billing/billing.errors';
import { createTenant } from '../../dev/support/tenants';
import {
  type BillingHarness,
  credit,
  expectLedgerInvariant,
  startBilling,
  usage,
} from './support/billing-harness';

describe('Purchases, requests and owner-facing texts (real PostgreSQL)', () => {
  let h: BillingHarness;
  let tenantId: string;
  const touched = new Set<string>();

  beforeAll(async () => {
    h = await startBilling();
  });
  afterAll(() => h?.close());
  beforeEach(async () => {
    tenantId = (await createTenant(h.db)).id;
    touched.add(tenantId);
  });
  afterEach(async () => {
    for (const id of touched) await expectLedgerInvariant(h.db, id);
    touched.clear();
  });

  /** What the owner reads after tapping a package: billing records it, the assistant says it. */
  const requestReply = async (
    tenantId: string,
    packageCode: string,
    waId: string,
    inboundWamid: string,
  ) => {
    const pkg = await h.purchases.requestPurchase({ tenantId, packageCode, waId, inboundWamid });
    return pkg ? purchaseRequestedText(pkg) : UNKNOWN_PACKAGE_TEXT;
  };

  const buy = (ref: string, over: { tenantId?: string; packageCode?: string } = {}) =>
    h.purchases.purchase({
      tenantId,
      packageCode: 'estandar',
      paymentRef: ref,
      createdBy: 'test',
      ...over,
    });

  it('credits a package once per payment reference', async () => {
    const first = await buy('ref-once');
    const again = await buy('ref-once');
    expect(first.created).toBe(true);
    expect(again).toEqual({ purchase: first.purchase, created: false });
    expect(first.purchase).toMatchObject({
      tokens: 3000,
      priceCents: 6900,
      packageCode: 'estandar',
    });
    expect(await h.billing.getBalance(tenantId)).toMatchObject({
      available: 3000,
      lifetimePurchased: 3000,
    });
  });

  it('credits once when identical requests arrive at the same time', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => buy('ref-race')));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.purchase.id)).size).toBe(1);
    expect((await h.billing.getBalance(tenantId)).available).toBe(3000);
  });

  it('rejects a payment reference reused for another shop or package', async () => {
    const other = (await createTenant(h.db)).id;
    touched.add(other);
    await buy('ref-conflict');
    await expect(buy('ref-conflict', { packageCode: 'pro' })).rejects.toBeInstanceOf(
      PaymentRefConflictError,
    );
    await expect(buy('ref-conflict', { tenantId: other })).rejects.toBeInstanceOf(
      PaymentRefConflictError,
    );
    expect((await h.billing.getBalance(other)).available).toBe(0);
    await expect(buy('ref-x', { packageCode: 'nope' })).rejects.toBeInstanceOf(UnknownPackageError);
  });

  it('records a WhatsApp purchase request once per message, and a purchase confirms it', async () => {
    const text = await requestReply(tenantId, 'basico', '5215512345678', 'wamid.req1');
    expect(text).toBe(
      'Listo, pedimos tu paquete Básico (1,000 tokens por $29.00). En cuanto confirmemos tu pago se acreditan.',
    );
    await requestReply(tenantId, 'basico', '5215512345678', 'wamid.req1');
    expect(await requestReply(tenantId, 'nada', '52155', 'wamid.req2')).toMatch(
      /No encontré ese paquete/,
    );
    const pending = await h.db.query(`SELECT status FROM purchase_requests WHERE tenant_id = $1`, [
      tenantId,
    ]);
    expect(pending).toEqual([{ status: 'pending' }]);
    const { purchase } = await buy('ref-req', { packageCode: 'basico' });
    const [row] = await h.db.query(
      `SELECT status, purchase_id FROM purchase_requests WHERE tenant_id = $1`,
      [tenantId],
    );
    expect(row).toEqual({ status: 'confirmed', purchase_id: purchase.id });
  });

  it('sends the low-balance notice once per package bought', async () => {
    await credit(h, tenantId); // 1,000
    expect(await h.billing.claimLowBalanceNotice(tenantId)).toBe(false);
    const plan = await h.billing.reserveRound(tenantId, {
      promptTokens: 500,
      ceiling: 400,
      reference: 'lb',
    });
    if ('insufficient' in plan) throw new Error('insufficient');
    await h.db.transaction((tx) => h.billing.settleRound(tx, plan.reservation, usage(905)));
    const checks = await Promise.all(
      [1, 2, 3].map(() => h.billing.claimLowBalanceNotice(tenantId)),
    );
    expect(checks.filter(Boolean)).toHaveLength(1);
    expect(await h.billing.claimLowBalanceNotice(tenantId)).toBe(false);
    const balance = await h.billing.getBalance(tenantId);
    expect(lowBalanceText(balance)).toBe(
      '⚠️ Te quedan pocos tokens: 95 (menos de 1 respuesta). Para que no te quedes sin respuestas, escribe *paquetes* y recarga.',
    );
    await credit(h, tenantId); // a new package re-arms the notice
    expect(await h.billing.claimLowBalanceNotice(tenantId)).toBe(false);
  });

  it('tells the owner the balance in Spanish', async () => {
    expect(balanceText((await h.billing.getBalance(tenantId)).available)).toMatch(
      /^Ya no te quedan tokens/,
    );
    await buy('ref-msg', { packageCode: 'basico' });
    await buy('ref-msg2', { packageCode: 'estandar' });
    await buy('ref-msg3', { packageCode: 'basico' });
    expect(balanceText((await h.billing.getBalance(tenantId)).available)).toBe(
      'Te quedan 5,000 tokens (≈ 20 respuestas). Para recargar escribe *paquetes*.',
    );
    expect(OUT_OF_TOKENS_TEXT).toMatch(/paquetes/);
  });

  it('lists the packages as a WhatsApp list message', async () => {
    const msg = packagesList(await h.purchases.listPackages());
    if (msg.type !== 'list') throw new Error(`expected a list, got ${msg.type}`);
    const rows = msg.sections.flatMap((s) => s.rows);
    expect(rows.slice(0, 4)).toEqual([
      { id: 'pkg:basico', title: 'Básico', description: '1,000 tokens · $29.00' },
      { id: 'pkg:estandar', title: 'Estándar', description: '3,000 tokens · $69.00' },
      { id: 'pkg:pro', title: 'Pro', description: '8,000 tokens · $149.00' },
      { id: 'pkg:empresarial', title: 'Empresarial', description: '20,000 tokens · $299.00' },
    ]);
    for (const r of rows) {
      expect(r.title.length).toBeLessThanOrEqual(24);
      expect((r.description ?? '').length).toBeLessThanOrEqual(72);
    }
  });
});
