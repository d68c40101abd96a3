import { api } from '../../dev/support/admin-api';
import { startApp, type RunningApp } from '../../dev/support/app-harness';
import { createTenant } from '../../dev/support/tenants';

const EXPERIMENT = 'exp-report';

/**
 * The A/B report per arm over a seeded history (rows written in SQL), against figures worked
 * out by hand (2026-03-10, UTC; period 10:00–12:00):
 *   arm a — X 10:00 ventas, level 1, 100 t, $0.001, 400 ms (X asks ventas again at 10:01: repeated)
 *           X 10:01 ventas, level 1, 120 t, $0.0012, 600 ms (next X question 29 min later)
 *           X 10:30 ganancias, level 1b, 300 t, $0.003, 1000 ms (+ a 50-token intent call: not counted)
 *           Y 10:05 otro, level 2, no model round (Y asks otro again at 10:06, outside the
 *           experiment: repeated)
 *     → 4 answers; tokens [0,100,120,300] mean 130, p95 300; USD mean 0.0052/4 = 0.0013,
 *       p95 0.003; levels 1: 2/4, 1b: 1/4, 2: 1/4; latency [0,400,600,1000] p50 400,
 *       p95 1000; repeated 2/4.
 *   arm b — Z 10:10 ventas 80 t $0.0004 200 ms; Z 10:20 ventas 90 t $0.00045 300 ms (10 min
 *           later: not repeated); Z 10:21 inventario 70 t $0.00035 250 ms (another intent)
 *     → 3 answers; tokens mean 80, p95 90; USD mean 0.0004, p95 0.00045; level 1: 3/3;
 *       latency [200,250,300] p50 250, p95 300; repeated 0.
 *   Not counted: an arm-a answer at 09:00 (before the period), another experiment's answer.
 */
describe('A/B experiment report (admin)', () => {
  let t: RunningApp;
  beforeAll(async () => {
    t = await startApp({
      LLM_EXPERIMENTS: JSON.stringify([
        { name: EXPERIMENT, a: 'balanced', b: 'low-latency', percentB: 50 },
      ]),
    });
  });
  afterAll(() => t?.close());

  it('splits answers, tokens, cost, fallback levels, latency and repeats by arm, as counted by hand', async () => {
    const shop = await createTenant(t.db);
    const day = '2026-03-10T';
    let n = 0;
    /** One question, its turn, and (when in an experiment) its reply row and model rounds. */
    async function seed(q: {
      chat: string;
      time: string;
      intent: string;
      experiment?: [string, 'a' | 'b'];
      level?: string;
      rounds?: [number, number, number][]; // tokens, usd, ms
      intentTokens?: number;
    }): Promise<void> {
      const wamid = `wamid.exp.${shop.id}.${n++}`;
      const at = new Date(`${day}${q.time}:00Z`);
      await t.db.query(
        `INSERT INTO inbound_messages (wamid, phone_number_id, from_wa_id, tenant_id, type, text, payload, sent_at, status)
         VALUES ($1, $2, $3, $4, 'text', 'q', '{}', $5, 'processed')`,
        [wamid, shop.phoneNumberId, q.chat.slice(1), shop.id, at],
      );
      await t.db.query(
        `INSERT INTO conversation_turns (tenant_id, wa_id, role, content, intent, inbound_wamid, created_at)
         VALUES ($1, $2, 'user', 'q', $3, $4, $5), ($1, $2, 'assistant', 'a', $3, $4, $5)`,
        [shop.id, q.chat, q.intent, wamid, at],
      );
      await t.db.query(
        `INSERT INTO outbound_messages (inbound_wamid, purpose, tenant_id, phone_number_id, to_wa_id,
           type, text, request, fallback_level, experiment, experiment_arm, created_at)
         VALUES ($1, 'reply', $2, $3, $4, 'text', 'a', '{}', $5, $6, $7, $8)`,
        [
          wamid,
          shop.id,
          shop.phoneNumberId,
          q.chat.slice(1),
          q.level ?? '1',
          q.experiment?.[0] ?? null,
          q.experiment?.[1] ?? null,
          at,
        ],
      );
      for (const [i, [tokens, usd, ms]] of (q.rounds ?? []).entries()) {
        await t.db.query(
          `INSERT INTO token_usage (tenant_id, inbound_wamid, operation, seq, tokens_prompt,
             tokens_completion, tokens_total, tokens_charged, model, cost_usd, latency_ms,
             fallback_level, created_at)
           VALUES ($1, $2, 'chat', $3, $4, 0, $4, $4, 'm', $5, $6, $7, $8)`,
          [shop.id, wamid, i + 1, tokens, usd, ms, q.level ?? '1', at],
        );
      }
      if (q.intentTokens) {
        await t.db.query(
          `INSERT INTO token_usage (tenant_id, inbound_wamid, operation, seq, tokens_prompt,
             tokens_completion, tokens_total, tokens_charged, model, cost_usd, latency_ms, created_at)
           VALUES ($1, $2, 'intent', 0, $3, 0, $3, $3, 'm', 0.01, 5000, $4)`,
          [shop.id, wamid, q.intentTokens, at],
        );
      }
    }
    const X = '+5215500000011';
    const Y = '+5215500000012';
    const Z = '+5215500000013';
    const A: [string, 'a'] = [EXPERIMENT, 'a'];
    const B: [string, 'b'] = [EXPERIMENT, 'b'];
    await seed({
      chat: X,
      time: '09:00',
      intent: 'ventas',
      experiment: A,
      rounds: [[999, 0.9, 9]],
    });
    await seed({
      chat: X,
      time: '10:00',
      intent: 'ventas',
      experiment: A,
      rounds: [[100, 0.001, 400]],
    });
    await seed({
      chat: X,
      time: '10:01',
      intent: 'ventas',
      experiment: A,
      rounds: [[120, 0.0012, 600]],
    });
    await seed({
      chat: X,
      time: '10:30',
      intent: 'ganancias',
      experiment: A,
      level: '1b',
      rounds: [[300, 0.003, 1000]],
      intentTokens: 50,
    });
    await seed({ chat: Y, time: '10:05', intent: 'otro', experiment: A, level: '2' });
    await seed({ chat: Y, time: '10:06', intent: 'otro' });
    await seed({
      chat: Z,
      time: '10:10',
      intent: 'ventas',
      experiment: B,
      rounds: [[80, 0.0004, 200]],
    });
    await seed({
      chat: Z,
      time: '10:20',
      intent: 'ventas',
      experiment: B,
      rounds: [[90, 0.00045, 300]],
    });
    await seed({
      chat: Z,
      time: '10:21',
      intent: 'inventario',
      experiment: B,
      rounds: [[70, 0.00035, 250]],
    });
    await seed({
      chat: Z,
      time: '10:40',
      intent: 'ventas',
      experiment: ['other', 'b'],
      rounds: [[5, 1, 1]],
    });

    const res = await api(
      t,
      'GET',
      `/admin/experiments/${EXPERIMENT}/report?from=${day}10:00:00Z&to=${day}12:00:00Z`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: EXPERIMENT,
      config: { name: EXPERIMENT, a: 'balanced', b: 'low-latency', percentB: 50 },
      arms: [
        {
          arm: 'a',
          profile: 'balanced',
          answers: 4,
          tokensPerAnswer: { mean: 130, p95: 300 },
          costUsdPerAnswer: { mean: 0.0013, p95: 0.003 },
          fallbackLevelRates: { '1': 0.5, '1b': 0.25, '2': 0.25, '3': 0, direct: 0 },
          latencyMs: { p50: 400, p95: 1000 },
          repeatedQuestionRate: 0.5,
        },
        {
          arm: 'b',
          profile: 'low-latency',
          answers: 3,
          tokensPerAnswer: { mean: 80, p95: 90 },
          costUsdPerAnswer: { mean: 0.0004, p95: 0.00045 },
          fallbackLevelRates: { '1': 1, '1b': 0, '2': 0, '3': 0, direct: 0 },
          latencyMs: { p50: 250, p95: 300 },
          repeatedQuestionRate: 0,
        },
      ],
    });

    const list = await api<unknown[]>(t, 'GET', '/admin/experiments');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      expect.objectContaining({ name: EXPERIMENT, unit: 'shop', enabled: true }),
    ]);
    expect((await api(t, 'GET', `/admin/experiments/${EXPERIMENT}/report?from=nope`)).status).toBe(
      400,
    );
    expect((await api(t, 'GET', `/admin/experiments/Bad%20Name/report`)).status).toBe(400);
    expect(
      (await api(t, 'GET', `/admin/experiments/${EXPERIMENT}/report?from=2026-03-11&to=2026-03-10`))
        .status,
    ).toBe(400);
    expect(
      (await api(t, 'GET', `/admin/experiments/${EXPERIMENT}/report`, { token: null })).status,
    ).toBe(401);
  });
});
