import { estimatePromptTokens } from '../../src/billing/ledger/token-estimate';
import { createTenant } from '../../dev/support/tenants';
import { ownerDataSource } from '../../dev/support/database';
import {
  type BillingHarness,
  credit,
  expectLedgerInvariant,
  startBilling,
  usage,
} from './support/billing-harness';

describe('TokenLedgerService (real PostgreSQL)', () => {
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

  const plan = (promptTokens: number, ceiling = 200, reference = `ref-${Math.random()}`) =>
    h.billing.reserveRound(tenantId, { promptTokens, ceiling, reference });

  async function reserve(promptTokens: number, ceiling = 200) {
    const p = await plan(promptTokens, ceiling);
    if ('insufficient' in p) throw new Error(`insufficient: ${p.available}`);
    return p;
  }

  it('reserves prompt + max_tokens and lowers max_tokens to what the balance allows', async () => {
    await credit(h, tenantId); // 1,000
    const full = await reserve(100, 200);
    expect(full.maxTokens).toBe(200);
    expect(full.reservation.tokens).toBe(300);
    expect(await h.billing.getBalance(tenantId)).toMatchObject({ available: 700, reserved: 300 });

    const squeezed = await reserve(600, 500);
    expect(squeezed.maxTokens).toBe(100);
    expect(squeezed.reservation.tokens).toBe(700);
    expect(await h.billing.getBalance(tenantId)).toMatchObject({ available: 0, reserved: 1000 });
    await h.billing.releaseRound(full.reservation);
    await h.billing.releaseRound(squeezed.reservation);
  });

  it('reserves nothing when fewer than 64 reply tokens fit', async () => {
    await credit(h, tenantId);
    const res = await plan(1000 - 63, 500);
    expect(res).toEqual({ insufficient: true, available: 1000 });
    expect(await h.billing.getBalance(tenantId)).toMatchObject({ available: 1000, reserved: 0 });
    const none = await h.billing.reserveRound((await createTenant(h.db)).id, {
      promptTokens: 10,
      ceiling: 100,
      reference: 'x',
    });
    expect(none).toEqual({ insufficient: true, available: 0 });
  });

  it('holds a small call (a classification) to its own ceiling, not to the floor of an answer', async () => {
    await credit(h, tenantId);
    const small = await reserve(220, 30);
    expect(small.maxTokens).toBe(30);
    expect(small.reservation.tokens).toBe(250);
    await h.billing.releaseRound(small.reservation);
    // Not even its 30 fit: nothing is reserved.
    expect(await plan(1000 - 29, 30)).toEqual({ insufficient: true, available: 1000 });
  });

  it('settles exactly the tokens used and gives back the rest', async () => {
    await credit(h, tenantId);
    const { reservation } = await reserve(100, 200);
    const result = await h.db.transaction((tx) =>
      h.billing.settleRound(tx, reservation, usage(180)),
    );
    expect(result).toEqual({ charged: 180, shortfall: 0, skipped: false });
    expect(await h.billing.getBalance(tenantId)).toEqual({
      available: 820,
      reserved: 0,
      lifetimePurchased: 1000,
      lifetimeUsed: 180,
    });
    const [u] = await h.db.query(`SELECT * FROM token_usage WHERE reservation_id = $1`, [
      reservation.id,
    ]);
    expect(u).toMatchObject({ tokens_total: 180, tokens_charged: 180, model: 'test/model' });
  });

  it('charges once when the same reservation is settled twice (also concurrently)', async () => {
    await credit(h, tenantId);
    const { reservation } = await reserve(100, 200);
    const u = usage(150);
    const [a, b] = await Promise.all([
      h.db.transaction((tx) => h.billing.settleRound(tx, reservation, u)),
      h.db.transaction((tx) => h.billing.settleRound(tx, reservation, u)),
    ]);
    expect([a.skipped, b.skipped].sort()).toEqual([false, true]);
    const again = await h.db.transaction((tx) =>
      h.billing.settleRound(tx, reservation, usage(999)),
    );
    expect(again.skipped).toBe(true);
    expect((await h.billing.getBalance(tenantId)).available).toBe(850);
  });

  it('does not charge a call whose usage a previous attempt already recorded', async () => {
    await credit(h, tenantId);
    const first = await reserve(50, 100);
    const second = await reserve(50, 100);
    const u = usage(100);
    await h.db.transaction((tx) => h.billing.settleRound(tx, first.reservation, u));
    const dup = await h.db.transaction((tx) => h.billing.settleRound(tx, second.reservation, u));
    expect(dup.skipped).toBe(true);
    expect(await h.billing.getBalance(tenantId)).toMatchObject({ available: 900, reserved: 0 });
    const [r] = await h.db.query(
      `SELECT status, release_reason FROM token_reservations WHERE id = $1`,
      [second.reservation.id],
    );
    expect(r).toEqual({ status: 'released', release_reason: 'duplicate' });
  });

  it('debits an overrun from available down to zero and writes off the rest', async () => {
    await credit(h, tenantId);
    const { reservation } = await reserve(100, 100); // 200 held, 800 available
    const res = await h.db.transaction((tx) => h.billing.settleRound(tx, reservation, usage(1200)));
    expect(res).toEqual({ charged: 1000, shortfall: 200, skipped: false });
    expect(await h.billing.getBalance(tenantId)).toMatchObject({ available: 0, reserved: 0 });
    const adj = await h.db.query(
      `SELECT tokens, available_delta FROM token_ledger WHERE tenant_id = $1 AND entry_type = 'adjustment'`,
      [tenantId],
    );
    expect(adj).toEqual([{ tokens: 200, available_delta: 0 }]);
  });

  it('settles a zero-token round by releasing everything', async () => {
    await credit(h, tenantId);
    const { reservation } = await reserve(10, 100);
    await h.db.transaction((tx) => h.billing.settleRound(tx, reservation, usage(0)));
    expect(await h.billing.getBalance(tenantId)).toMatchObject({ available: 1000, reserved: 0 });
  });

  it('shrinks a round to what it used, so the next round can reserve the rest', async () => {
    await credit(h, tenantId); // 1,000: round 1 may take it all
    const r1 = await reserve(200, 1000);
    expect(r1.reservation.tokens).toBe(1000);
    expect('insufficient' in (await plan(300, 1000))).toBe(true);

    const shrunk = await h.billing.shrinkRound(r1.reservation, 340);
    expect(shrunk.tokens).toBe(340);
    expect(await h.billing.getBalance(tenantId)).toMatchObject({ available: 660, reserved: 340 });
    // Idempotent: asking again (a retried step) gives nothing back twice.
    expect((await h.billing.shrinkRound(shrunk, 340)).tokens).toBe(340);

    const r2 = await reserve(300, 1000);
    expect(r2.maxTokens).toBe(360);
    // Both rounds are charged with the reply: exactly what each used.
    await h.db.transaction(async (tx) => {
      await h.billing.settleRound(tx, shrunk, usage(340));
      await h.billing.settleRound(tx, r2.reservation, usage(410));
    });
    expect(await h.billing.getBalance(tenantId)).toMatchObject({
      available: 250,
      reserved: 0,
      lifetimeUsed: 750,
    });
  });

  it('a shrunk round whose job died is freed by the sweeper and never charged', async () => {
    await credit(h, tenantId);
    const { reservation } = await reserve(100, 400);
    await h.billing.shrinkRound(reservation, 120);
    await h.db.query(
      `UPDATE token_reservations SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [reservation.id],
    );
    expect(await h.billing.releaseExpired()).toBeGreaterThanOrEqual(1);
    expect(await h.billing.getBalance(tenantId)).toMatchObject({ available: 1000, reserved: 0 });
  });

  it('an overrun keeps the whole reservation: settle takes the rest from available', async () => {
    await credit(h, tenantId);
    const { reservation } = await reserve(100, 100); // 200 held
    const same = await h.billing.shrinkRound(reservation, 260);
    expect(same.tokens).toBe(200);
    await h.db.transaction((tx) => h.billing.settleRound(tx, same, usage(260)));
    expect(await h.billing.getBalance(tenantId)).toMatchObject({ available: 740, reserved: 0 });
  });

  it('release is idempotent and does not undo a settlement', async () => {
    await credit(h, tenantId);
    const a = await reserve(100, 100);
    await h.billing.releaseRound(a.reservation);
    await h.billing.releaseRound(a.reservation);
    const b = await reserve(100, 100);
    await h.db.transaction((tx) => h.billing.settleRound(tx, b.reservation, usage(120)));
    await h.billing.releaseRound(b.reservation);
    expect(await h.billing.getBalance(tenantId)).toMatchObject({ available: 880, reserved: 0 });
  });

  it('recordUsage records without charging and frees the round (with or without the reservation)', async () => {
    await credit(h, tenantId);
    const a = await reserve(100, 100);
    const b = await h.billing.reserveRound(tenantId, {
      promptTokens: 100,
      ceiling: 100,
      reference: 'wamid.LVL2:a1:r2',
    });
    if ('insufficient' in b) throw new Error('insufficient');
    await h.db.transaction(async (tx) => {
      await h.billing.recordUsage({ ...usage(150), tenantId, reservation: a.reservation }, tx);
      await h.billing.recordUsage(
        { ...usage(170, { inboundWamid: 'wamid.LVL2', seq: 2, fallbackLevel: '2' }), tenantId },
        tx,
      );
    });
    expect(await h.billing.getBalance(tenantId)).toMatchObject({ available: 1000, reserved: 0 });
    const rows = await h.db.query(
      `SELECT tokens_total, tokens_charged, reservation_id FROM token_usage WHERE tenant_id = $1 ORDER BY id`,
      [tenantId],
    );
    expect(rows).toEqual([
      { tokens_total: 150, tokens_charged: 0, reservation_id: a.reservation.id },
      { tokens_total: 170, tokens_charged: 0, reservation_id: b.reservation.id },
    ]);
  });

  it('refuses to edit the ledger, to the app role and (by trigger) to its owner', async () => {
    await credit(h, tenantId);
    // The app's role has no UPDATE/DELETE grant (src/database/app-grants.ts)…
    await expect(
      h.db.query(`UPDATE token_ledger SET tokens = 1 WHERE tenant_id = $1`, [tenantId]),
    ).rejects.toThrow(/permission denied/);
    await expect(
      h.db.query(`DELETE FROM token_ledger WHERE tenant_id = $1`, [tenantId]),
    ).rejects.toThrow(/permission denied/);
    // …and the owner, whom REVOKE does not bind, meets the append-only triggers.
    const owner = await ownerDataSource();
    try {
      await expect(
        owner.query(`UPDATE token_ledger SET tokens = 1 WHERE tenant_id = $1`, [tenantId]),
      ).rejects.toThrow(/append-only/);
      await expect(
        owner.query(`DELETE FROM token_ledger WHERE tenant_id = $1`, [tenantId]),
      ).rejects.toThrow(/append-only/);
    } finally {
      await owner.destroy();
    }
  });

  it('estimates prompts with a margin and counts tool definitions', () => {
    const messages = [
      { role: 'system' as const, content: 'Eres el asistente de una tienda.' },
      { role: 'user' as const, content: '¿cuánto vendí hoy?' },
    ];
    const bare = estimatePromptTokens(messages, []);
    expect(bare).toBeGreaterThan(15);
    expect(bare).toBeLessThan(60);
    const withTools = estimatePromptTokens(messages, [
      {
        type: 'function',
        function: {
          name: 'sales_summary',
          description: 'Ventas de un periodo',
          parameters: { type: 'object', properties: { period: { type: 'string' } } },
        },
      },
    ]);
    expect(withTools).toBeGreaterThan(bare + 20);
  });
});
