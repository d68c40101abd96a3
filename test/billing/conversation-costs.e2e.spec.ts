import { api } from '../../dev/support/admin-api';
import { startApp, type RunningApp } from '../../dev/support/app-harness';
import { createTenant } from '../../dev/support/tenants';
import { RetentionService } from '../../src/retention/retention.service';

/**
 * Cost per conversation over a seeded history, against figures counted by hand:
 *   chat X: 10:00 (100 t, $0.001), 10:10 (0, direct), 10:35 (150 t, $0.0015) → one
 *           conversation (gaps 10 and 25 min); 11:10 (0, cached), 11:20 (200 t, $0.002) →
 *           a second one (gap 35 min).
 *   chat Y: 10:05 (50 t, $0.0005); 10:50 (a level-2 answer: 90 tokens counted, $0.0001, 0 charged)
 *           → two conversations (gap 45 min).
 *   Outside the period: 09:00 on chat X (not counted).
 * Conversations 4; answers 7 (1.75 each); tokens 250, 200, 50, 0 → mean 125, p95 250;
 * USD (provider cost, absorbed included) 0.0025, 0.002, 0.0005, 0.0001 → mean 0.001275,
 * p95 0.0025; zero-token answers 3/7.
 */
describe('cost per conversation (admin usage report)', () => {
  let t: RunningApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  it('matches the hand-computed figures over a seeded history', async () => {
    const shop = await createTenant(t.db);
    const day = '2026-03-10T';
    const seed: [string, string, number, number | null, number][] = [
      // chat, UTC time, tokens charged, usd, tokens counted
      ['+5215500000001', '09:00', 999, 0.9, 999],
      ['+5215500000001', '10:00', 100, 0.001, 100],
      ['+5215500000001', '10:10', 0, null, 0],
      ['+5215500000001', '10:35', 150, 0.0015, 150],
      ['+5215500000001', '11:10', 0, null, 0],
      ['+5215500000001', '11:20', 200, 0.002, 200],
      ['+5215500000002', '10:05', 50, 0.0005, 50],
      ['+5215500000002', '10:50', 0, 0.0001, 90],
    ];
    for (const [i, [waId, time, charged, usd, total]] of seed.entries()) {
      const wamid = `wamid.conv.${shop.id}.${i}`;
      const at = new Date(`${day}${time}:00Z`);
      await t.db.query(
        `INSERT INTO conversation_turns (tenant_id, wa_id, role, content, intent, inbound_wamid, created_at)
         VALUES ($1, $2, 'user', 'q', 'ventas', $3, $4), ($1, $2, 'assistant', 'a', 'ventas', $3, $4)`,
        [shop.id, waId, wamid, at],
      );
      if (total > 0 || usd !== null) {
        await t.db.query(
          `INSERT INTO token_usage (tenant_id, inbound_wamid, operation, seq, tokens_prompt,
             tokens_completion, tokens_total, tokens_charged, model, cost_usd, latency_ms,
             fallback_level, created_at)
           VALUES ($1, $2, 'chat', 1, $3, 0, $3, $4, 'anthropic/claude-3-haiku', $5, 100, '1', $6)`,
          [shop.id, wamid, total, charged, usd, at],
        );
      }
    }
    const res = await api(
      t,
      'GET',
      `/admin/tenants/${shop.id}/usage/conversations?from=${day}09:30:00Z&to=${day}12:00:00Z`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      conversations: 4,
      answers: 7,
      answersPerConversation: 1.75,
      tokensPerConversation: { mean: 125, p95: 250 },
      costUsdPerConversation: { mean: 0.001275, p95: 0.0025 },
      zeroTokenAnswerShare: Math.round((3 / 7) * 10_000) / 10_000,
    });
    const bad = await api(t, 'GET', `/admin/tenants/${shop.id}/usage/conversations?from=nope`);
    expect(bad.status).toBe(400);
  });

  it('still counts conversations older than a day after the retention pass blanked their words', async () => {
    const shop = await createTenant(t.db);
    // Three days ago: one chat, two questions 10 minutes apart (one conversation), 120 + 80 tokens.
    const base = Date.now() - 3 * 24 * 3600 * 1000;
    for (const [i, tokens] of [120, 80].entries()) {
      const wamid = `wamid.retained.${shop.id}.${i}`;
      const at = new Date(base + i * 10 * 60 * 1000);
      await t.db.query(
        `INSERT INTO conversation_turns (tenant_id, wa_id, role, content, intent, inbound_wamid, created_at)
         VALUES ($1, '+5215500000009', 'user', 'cuánto vendí', 'ventas', $2, $3)`,
        [shop.id, wamid, at],
      );
      await t.db.query(
        `INSERT INTO token_usage (tenant_id, inbound_wamid, operation, seq, tokens_prompt,
           tokens_completion, tokens_total, tokens_charged, model, cost_usd, latency_ms,
           fallback_level, created_at)
         VALUES ($1, $2, 'chat', 1, $3, 0, $3, $3, 'anthropic/claude-3-haiku', 0.001, 100, '1', $4)`,
        [shop.id, wamid, tokens, at],
      );
    }
    const from = new Date(base - 3600 * 1000).toISOString();
    const to = new Date(base + 3600 * 1000).toISOString();
    const report = async () =>
      (await api(t, 'GET', `/admin/tenants/${shop.id}/usage/conversations?from=${from}&to=${to}`))
        .body;
    const expected = { conversations: 1, answers: 2, tokensPerConversation: { mean: 200 } };
    expect(await report()).toMatchObject(expected);

    await t.app.get(RetentionService).runOnce();
    const words: { content: string }[] = await t.db.query(
      `SELECT content FROM conversation_turns WHERE tenant_id = $1`,
      [shop.id],
    );
    expect(words).toEqual([{ content: '' }, { content: '' }]);
    expect(await report()).toMatchObject(expected);
  });
});
