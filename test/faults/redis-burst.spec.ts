import { startFakeGraphApi, type FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { startFakeOpenRouter, type FakeOpenRouter } from '../../dev/fakes/fake-openrouter';
import { eventually, startApp, type RunningApp } from '../../dev/support/app-harness';
import { ownRedis, type OwnRedis } from '../../dev/support/redis-server';
import {
  doneCount,
  expectEachAnsweredOnceInOrder,
  sendBurst,
  shopsForBurst,
} from '../support/burst';
import { chargesPerAnswer, checkAftermath } from '../support/fault-checks';

/**
 * Redis (a test-owned redis-server, no persistence) killed in the middle of a burst of 200
 * messages and started again empty: the jobs in it are gone. The webhook keeps storing, the
 * relay enqueues what never reached the queue, the reconciler re-queues rows whose job was
 * lost: all 200 answered, each once, each charged once.
 */
describe('Redis killed during a burst of 200 messages', () => {
  let graph: FakeGraphApi;
  let llm: FakeOpenRouter;
  let redis: OwnRedis;
  let t: RunningApp;

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    llm = await startFakeOpenRouter();
    redis = await ownRedis();
    await redis.start();
    t = await startApp({
      WHATSAPP_API_BASE_URL: graph.baseUrl,
      OPENROUTER_BASE_URL: llm.baseUrl,
      REDIS_URL: redis.url,
      // Stuck rows are re-queued after 5 s instead of 5 min (above LLM deadline + lock here).
      INBOX_STUCK_AFTER_SECONDS: '5',
      LLM_DEADLINE_MS: '3000',
      WORKER_LOCK_MS: '1500',
      WORKER_STALLED_INTERVAL_MS: '500',
      BILLING_RESERVATION_TTL_SECONDS: '5',
      BILLING_SWEEP_INTERVAL_MS: '300',
      SHUTDOWN_STEP_TIMEOUT_MS: '3000',
    });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
    await graph?.close();
    await llm?.close();
  });

  it('answers all 200 once after Redis comes back', async () => {
    const started = Date.now();
    const shops = await shopsForBurst(t.db, t, 20);
    const sending = sendBurst(t.url, shops, 10);
    // Kill it once part of the burst is in (some answered, some queued, some not yet sent).
    await eventually(
      () => graph.sent.length >= 30 && graph.sent,
      60_000,
      'the first answers of the burst',
    );
    await redis.stop();
    const killedAt = graph.sent.length;
    const chats = await sending;
    await redis.start();
    await eventually(
      async () => (await doneCount(t.db, chats)) === 200,
      120_000,
      'all 200 messages done after Redis came back',
    );
    const levels = await expectEachAnsweredOnceInOrder(t.db, graph, chats, { checkOrder: false });
    const charges = await chargesPerAnswer(t.db, [...levels.keys()]);
    expect([...charges.values()].filter((c) => c.debits < 1)).toEqual([]);
    const figures = await checkAftermath(
      t.db,
      shops.map((s) => s.id),
      { graph },
    );
    expect(figures).toMatchObject({ inbound: 200, processed: 200, replies: 200 });
    console.log(
      `redis burst: Redis killed after ${killedAt} replies; 200 answered once in ${Date.now() - started} ms`,
    );
  });
});
