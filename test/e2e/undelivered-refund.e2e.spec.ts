import { sellPackage } from '../../dev/support/admin';
import { api } from '../../dev/support/admin-api';
import { eventually } from '../../dev/support/app-harness';
import { useAppWithFakes } from '../../dev/support/app-with-fakes';
import { createTenant, type TestTenant } from '../../dev/support/tenants';
import { envelope, newWamid, postWebhook, textMessage } from '../../dev/support/webhook';
import { expectLedgerInvariant } from '../billing/support/billing-harness';
import { addProduct, addSale } from '../support/store';

/**
 * The Graph API refusing a reply: 500 then 200 → delivered once, charged once; 500 forever →
 * the message ends in /admin/inbox/failed and the tokens charged for the answer nobody got
 * are refunded (one 'refund' ledger entry, never two, not even after a replay).
 */
describe('undelivered replies (e2e: Graph 500 → failed list and refund)', () => {
  const { graph, t } = useAppWithFakes({}, { resetGraph: true });

  async function openShop(): Promise<TestTenant> {
    const shop = await createTenant(t.db);
    await sellPackage(t, shop.id, 'pro');
    const coca = await addProduct(t.db, shop.id, { name: 'Coca-Cola 600 ml', priceCents: 1850 });
    await addSale(t.db, shop.id, coca, 2, new Date(Date.now() - 60_000));
    return shop;
  }

  async function ask(shop: TestTenant): Promise<string> {
    const wamid = newWamid();
    const res = await postWebhook(
      t.url,
      envelope(
        { messages: [textMessage({ from: shop.ownerWaId, text: '¿cuánto vendí hoy?', wamid })] },
        shop.phoneNumberId,
      ),
    );
    expect(res.status).toBe(200);
    return wamid;
  }

  const available = async (tenantId: string): Promise<number> => {
    const [row] = (await t.db.query(`SELECT available FROM tenant_balances WHERE tenant_id = $1`, [
      tenantId,
    ])) as { available: number }[];
    return row.available;
  };
  const charged = async (wamid: string): Promise<number> => {
    const [row] = (await t.db.query(
      `SELECT coalesce(sum(tokens_charged), 0)::int AS n FROM token_usage WHERE inbound_wamid = $1`,
      [wamid],
    )) as { n: number }[];
    return row.n;
  };
  const refunds = async (wamid: string) =>
    (await t.db.query(
      `SELECT tokens, available_delta, reserved_delta FROM token_ledger
        WHERE entry_type = 'refund' AND reference = $1`,
      [wamid],
    )) as { tokens: number; available_delta: number; reserved_delta: number }[];
  const statusOf = async (wamid: string): Promise<string> =>
    (
      (await t.db.query(`SELECT status FROM inbound_messages WHERE wamid = $1`, [wamid])) as {
        status: string;
      }[]
    )[0]?.status;

  it('500 then 200: one message reaches the owner, charged once, nothing refunded', async () => {
    const shop = await openShop();
    const start = await available(shop.id);
    graph.failNext({ status: 500, code: 1, message: 'Internal error' }, 1);
    const wamid = await ask(shop);
    await eventually(() => graph.sent.some((s) => s.to === shop.ownerWaId), 60_000, 'the reply');
    await eventually(async () => (await statusOf(wamid)) === 'processed', 30_000, 'processed');
    expect(graph.sent.filter((s) => s.to === shop.ownerWaId)).toHaveLength(1);
    const cost = await charged(wamid);
    expect(cost).toBeGreaterThan(0);
    expect(await available(shop.id)).toBe(start - cost);
    expect(await refunds(wamid)).toEqual([]);
    await expectLedgerInvariant(t.db, shop.id);
  }, 90_000);

  it('500 forever: listed as failed, the charge refunded exactly once, balance restored', async () => {
    const shop = await openShop();
    const start = await available(shop.id);
    graph.failNext({ status: 500, code: 1, message: 'Internal error' }, 10_000);
    const wamid = await ask(shop);
    // 5 job attempts with exponential backoff from 2 s.
    await eventually(async () => (await statusOf(wamid)) === 'failed', 120_000, 'failed for good');
    const failed = await api<{ wamid: string }[]>(t, 'GET', '/admin/inbox/failed?limit=500');
    expect(failed.status).toBe(200);
    expect(failed.body.map((f) => f.wamid)).toContain(wamid);
    expect(graph.sent.filter((s) => s.to === shop.ownerWaId)).toHaveLength(0);

    const cost = await charged(wamid);
    expect(cost).toBeGreaterThan(0);
    const refund = await eventually(async () => (await refunds(wamid))[0], 15_000, 'the refund');
    expect(refund).toEqual({ tokens: cost, available_delta: cost, reserved_delta: 0 });
    expect(await available(shop.id)).toBe(start);
    await expectLedgerInvariant(t.db, shop.id);

    // Replayed while Meta still refuses: it fails again, and is not refunded a second time.
    const replay = await api(t, 'POST', `/admin/inbox/${wamid}/replay`);
    expect(replay.status).toBe(202);
    await eventually(
      async () => (await statusOf(wamid)) === 'failed' && (await statusOf(wamid)),
      120_000,
      'failed again',
    );
    expect(await refunds(wamid)).toHaveLength(1);
    expect(await available(shop.id)).toBe(start);
    await expectLedgerInvariant(t.db, shop.id);
  }, 300_000);
});
