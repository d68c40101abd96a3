import type { FakeReply } from '../../dev/fakes/fake-openrouter';
import { eventually } from '../../dev/support/app-harness';
import { useAppWithFakes } from '../../dev/support/app-with-fakes';
import {
  doneCount,
  expectEachAnsweredOnceInOrder,
  sendBurst,
  shopsForBurst,
} from '../support/burst';
import { chargesPerAnswer, checkAftermath } from '../support/fault-checks';

/** "A minute" of LLM trouble, scaled down to 15 s (the app's timeouts are scaled with it). */
const OUTAGE_MS = 15_000;

/**
 * The LLM provider misbehaving for a stretch of traffic: 429s, 5xx and calls that hang past
 * the client timeout. First only the default model (the fallback model still answers: level
 * 1b), then every model (level 2: the answer from the prefetched data, not charged). Every
 * message gets an answer, none is lost, and the shop pays for exactly the calls that
 * returned usage.
 */
describe('LLM returning 429/5xx/timeouts for a stretch of traffic', () => {
  const { graph, llm, t } = useAppWithFakes({
    LLM_TIMEOUT_MS: '1000',
    LLM_DEADLINE_MS: '3000',
    LLM_BACKOFF_BASE_MS: '50',
    LLM_BACKOFF_MAX_MS: '200',
    BILLING_RESERVATION_TTL_SECONDS: '10',
    BILLING_SWEEP_INTERVAL_MS: '300',
  });

  it('answers every message (level 1b or 2 during the outage) and charges only what was used', async () => {
    const shops = await shopsForBurst(t.db, t, 10);
    const failures: FakeReply[] = [
      { status: 429, retryAfter: 1 },
      { status: 500 },
      { status: 502 },
      { status: 503 },
      { delayMs: 2_500, drop: true }, // past LLM_TIMEOUT_MS: the client gives up first
    ];
    let failed = 0;
    const start = Date.now();
    const end = start + OUTAGE_MS;
    llm.on(
      (req) => {
        const now = Date.now();
        if (now >= end) return false;
        // First half: only the default model is down; second half: every model.
        return now >= start + OUTAGE_MS / 2 || req.model === 'anthropic/claude-3-haiku';
      },
      () => failures[failed++ % failures.length],
    );
    // Traffic all through the outage: each chat writes every ~1.5 s.
    const chats = (
      await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          await new Promise((r) => setTimeout(r, i * 150));
          const sent = [];
          while (Date.now() < end - 1_000) {
            sent.push(...(await sendBurst(t.url, [shops[i]], 1)));
            await new Promise((r) => setTimeout(r, 1_500));
          }
          return { shop: shops[i], wamids: sent.flatMap((c) => c.wamids) };
        }),
      )
    ).filter((c) => c.wamids.length > 0);
    const total = chats.reduce((s, c) => s + c.wamids.length, 0);
    await eventually(
      async () => (await doneCount(t.db, chats)) === total,
      90_000,
      `all ${total} messages done`,
    );
    const levels = await expectEachAnsweredOnceInOrder(t.db, graph, chats, { checkOrder: false });

    // Answers that reached the owner before the outage ended could not come from the default
    // model: each is a level-1b or level-2 answer.
    const sentAt = new Map(graph.sent.map((s) => [s.wamid, s.at]));
    const rows: { inbound_wamid: string; wamid: string }[] = await t.db.query(
      `SELECT inbound_wamid, wamid FROM outbound_messages WHERE inbound_wamid = ANY($1) AND purpose = 'reply'`,
      [[...levels.keys()]],
    );
    const during = rows.filter((r) => (sentAt.get(r.wamid) ?? Infinity) < end);
    const duringLevels = during.map((r) => levels.get(r.inbound_wamid));
    expect(during.length).toBeGreaterThan(10);
    expect(duringLevels.filter((l) => l !== '1b' && l !== '2')).toEqual([]);
    expect(duringLevels).toContain('1b');
    expect(duringLevels).toContain('2');
    expect([...levels.values()].filter((l) => !['1', '1b', '2'].includes(l ?? ''))).toEqual([]);

    // Paid: one debit per charged call, and a call is recorded only when the provider
    // answered it (every request the fake did not fail).
    const charges = await chargesPerAnswer(t.db, [...levels.keys()]);
    const answeredByProvider = llm.chatRequests().length - failed;
    const [usage] = (await t.db.query(
      `SELECT count(*)::int AS n FROM token_usage WHERE inbound_wamid = ANY($1)`,
      [[...levels.keys()]],
    )) as { n: number }[];
    expect(usage.n).toBe(answeredByProvider);
    const level2 = [...levels].filter(([, l]) => l === '2').map(([w]) => w);
    expect(level2.filter((w) => charges.get(w)!.debits > 0)).toEqual([]);

    await checkAftermath(
      t.db,
      shops.map((s) => s.id),
      { graph },
    );
    const count = (l: string) => [...levels.values()].filter((v) => v === l).length;
    console.log(
      `llm outage (${OUTAGE_MS / 1000} s, scaled from a minute): ${total} messages, ` +
        `${failed} failed LLM calls, levels 1=${count('1')} 1b=${count('1b')} 2=${count('2')}, ` +
        `${usage.n} calls recorded, done ${Date.now() - start} ms after the outage began`,
    );
  });
});
