import { createTenant } from '../../dev/support/tenants';
import {
  type BillingHarness,
  credit,
  expectLedgerInvariant,
  startBilling,
  usage,
} from './support/billing-harness';

describe('TokenLedgerService under concurrency (real PostgreSQL)', () => {
  let h: BillingHarness;
  let tenantId: string;

  beforeAll(async () => {
    h = await startBilling();
  });
  afterAll(() => h?.close());
  beforeEach(async () => {
    tenantId = (await createTenant(h.db)).id;
  });
  afterEach(() => expectLedgerInvariant(h.db, tenantId));

  /** One LLM round as the tool loop does it: plan, then settle in its own transaction. */
  async function round(i: number, used: number): Promise<number> {
    const plan = await h.billing.reserveRound(tenantId, {
      promptTokens: 36,
      ceiling: 64,
      reference: `wamid.c${i}:a1:r1`,
    });
    if ('insufficient' in plan) return 0;
    const res = await h.db.transaction((tx) =>
      h.billing.settleRound(tx, plan.reservation, usage(used, { inboundWamid: `wamid.c${i}` })),
    );
    return res.charged;
  }

  it('50 concurrent rounds on a balance for ~10: no overspend, no lost debit', async () => {
    await credit(h, tenantId); // 1,000 tokens; each round holds 100 and uses 90
    const charged = await Promise.all(Array.from({ length: 50 }, (_, i) => round(i, 90)));
    const paid = charged.filter((c) => c > 0);
    expect(paid.every((c) => c === 90)).toBe(true);
    expect(paid.length).toBeGreaterThanOrEqual(10);
    expect(paid.length).toBeLessThanOrEqual(11);
    const balance = await h.billing.getBalance(tenantId);
    expect(balance).toEqual({
      available: 1000 - 90 * paid.length,
      reserved: 0,
      lifetimePurchased: 1000,
      lifetimeUsed: 90 * paid.length,
    });
    const [{ n }] = await h.db.query(
      `SELECT count(*)::int AS n FROM token_usage WHERE tenant_id = $1`,
      [tenantId],
    );
    expect(n).toBe(paid.length);
  });

  it('concurrent overruns never push the balance below zero', async () => {
    await credit(h, tenantId);
    const charged = await Promise.all(Array.from({ length: 30 }, (_, i) => round(i + 100, 180)));
    const total = charged.reduce((a, b) => a + b, 0);
    const balance = await h.billing.getBalance(tenantId);
    expect(balance.available).toBeGreaterThanOrEqual(0);
    expect(balance.reserved).toBe(0);
    expect(balance.lifetimeUsed).toBe(total);
    expect(total).toBeLessThanOrEqual(1000);
  });

  it('interleaves reserve, settle, release and the sweeper without drift', async () => {
    await credit(h, tenantId);
    await credit(h, tenantId);
    const tasks = Array.from({ length: 40 }, async (_, i) => {
      const plan = await h.billing.reserveRound(tenantId, {
        promptTokens: 20,
        ceiling: 60,
        reference: `mix-${i}`,
      });
      if ('insufficient' in plan) return;
      if (i % 3 === 0) return h.billing.releaseRound(plan.reservation);
      if (i % 5 === 0) return; // a job that died: left for the sweeper
      await h.db.transaction((tx) =>
        h.billing.settleRound(tx, plan.reservation, usage(40 + (i % 50))),
      );
    });
    await Promise.all([...tasks, h.billing.releaseExpired()]);
    await h.db.query(
      `UPDATE token_reservations SET expires_at = now() - interval '1 second'
        WHERE tenant_id = $1 AND status = 'active'`,
      [tenantId],
    );
    await h.billing.releaseExpired();
    expect((await h.billing.getBalance(tenantId)).reserved).toBe(0);
  });
});
