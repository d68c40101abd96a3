import { randomBytes } from 'node:crypto';
import { startApp, type RunningApp } from '../../dev/support/app-harness';
import { createTenant, type TestTenant } from '../../dev/support/tenants';
import { newWamid } from '../../dev/support/webhook';

/**
 * DELETE /admin/tenants/:id?confirm=<id>: the shop's messages and personal data are deleted
 * (rows gone, not set to NULL); the ledger and purchases stay for accounting, on a tombstone.
 */
describe('DELETE /admin/tenants/:id', () => {
  let t: RunningApp;
  const auth = { Authorization: `Bearer ${process.env.ADMIN_API_TOKEN}` };

  beforeAll(async () => {
    t = await startApp({}, 'api');
  });
  afterAll(() => t?.close());

  const del = (id: string, query = `?confirm=${id}`) =>
    fetch(`${t.url}/admin/tenants/${id}${query}`, { method: 'DELETE', headers: auth });

  /** A shop with a purchase, messages in and out (one not yet tied to it), a chat turn. */
  async function populated(): Promise<TestTenant & { wamids: string[] }> {
    const shop = await createTenant(t.db);
    const buy = await fetch(`${t.url}/admin/tenants/${shop.id}/purchases`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        packageCode: 'basico',
        paymentRef: `SPEI-${randomBytes(4).toString('hex')}`,
      }),
    });
    expect(buy.status).toBe(201);
    const wamids = [newWamid(), newWamid()];
    for (const [i, wamid] of wamids.entries()) {
      await t.db.query(
        `INSERT INTO inbound_messages (wamid, phone_number_id, from_wa_id, contact_name, tenant_id,
           type, text, payload, sent_at, status)
         VALUES ($1, $2, $3, 'Lupita', $4, 'text', 'vendí 3 cocas', '{"a":1}', now(), 'processed')`,
        // The second arrived before the worker tied it to the shop: only its number says whose.
        [wamid, shop.phoneNumberId, shop.ownerWaId, i === 0 ? shop.id : null],
      );
    }
    await t.db.query(
      `INSERT INTO outbound_messages (inbound_wamid, tenant_id, phone_number_id, to_wa_id, type,
         text, request, status)
       VALUES ($1, $2, $3, $4, 'text', 'Listo', '{}', 'sent')`,
      [wamids[0], shop.id, shop.phoneNumberId, shop.ownerWaId],
    );
    await t.db.query(
      `INSERT INTO conversation_turns (tenant_id, wa_id, role, content, inbound_wamid)
       VALUES ($1, $2, 'user', 'vendí 3 cocas', $3)`,
      [shop.id, shop.ownerPhone, wamids[0]],
    );
    return { ...shop, wamids };
  }

  async function counts(shop: TestTenant & { wamids: string[] }) {
    const [row] = (await t.db.query(
      `SELECT
         (SELECT count(*) FROM tenant_users WHERE tenant_id = $1)::int AS users,
         (SELECT count(*) FROM whatsapp_channels WHERE tenant_id = $1)::int AS channels,
         (SELECT count(*) FROM inbound_messages
           WHERE tenant_id = $1 OR phone_number_id = $2 OR wamid = ANY($3))::int AS inbound,
         (SELECT count(*) FROM outbound_messages
           WHERE tenant_id = $1 OR phone_number_id = $2)::int AS outbound,
         (SELECT count(*) FROM conversation_turns WHERE tenant_id = $1)::int AS turns,
         (SELECT count(*) FROM token_ledger WHERE tenant_id = $1)::int AS ledger,
         (SELECT count(*) FROM token_purchases WHERE tenant_id = $1)::int AS purchases`,
      [shop.id, shop.phoneNumberId, shop.wamids],
    )) as Record<string, number>[];
    return row;
  }

  it('erases the messages and personal data, keeps the ledger and purchases on a tombstone', async () => {
    const shop = await populated();
    const other = await populated();
    expect(await counts(shop)).toEqual({
      users: 1,
      channels: 1,
      inbound: 2,
      outbound: 1,
      turns: 1,
      ledger: 1,
      purchases: 1,
    });
    const otherBefore = await counts(other);

    expect((await del(shop.id)).status).toBe(204);

    expect(await counts(shop)).toEqual({
      users: 0,
      channels: 0,
      inbound: 0,
      outbound: 0,
      turns: 0,
      ledger: 1,
      purchases: 1,
    });
    const [tombstone] = (await t.db.query(
      `SELECT name, status, deleted_at IS NOT NULL AS deleted FROM tenants WHERE id = $1`,
      [shop.id],
    )) as Record<string, unknown>[];
    expect(tombstone).toEqual({ name: '(eliminada)', status: 'deleted', deleted: true });
    // No owner's number survives anywhere under the shop.
    const phones = (await t.db.query(
      `SELECT count(*)::int AS n FROM tenant_users WHERE wa_id = $1`,
      [shop.ownerPhone],
    )) as { n: number }[];
    expect(phones[0].n).toBe(0);
    // The other shop is untouched.
    expect(await counts(other)).toEqual(otherBefore);
    // Repeating it is harmless.
    expect((await del(shop.id)).status).toBe(204);
    const view = await fetch(`${t.url}/admin/tenants/${shop.id}`, { headers: auth });
    expect(((await view.json()) as { status: string; users: unknown[] }).status).toBe('deleted');
  });

  it('needs ?confirm=<the same id>: 400 without it or with another id, nothing erased', async () => {
    const shop = await populated();
    const other = await createTenant(t.db);
    const before = await counts(shop);
    for (const query of ['', `?confirm=${other.id}`, '?confirm=yes']) {
      const res = await del(shop.id, query);
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toContain('confirm');
    }
    expect(await counts(shop)).toEqual(before);
  });

  it('404 for an unknown shop; 401 without the admin token', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await del(unknown)).status).toBe(404);
    expect((await del('not-a-uuid')).status).toBe(404);
    const shop = await createTenant(t.db);
    const res = await fetch(`${t.url}/admin/tenants/${shop.id}?confirm=${shop.id}`, {
      method: 'DELETE',
    });
    expect(res.status).toBe(401);
  });
});
