import { startFakeGraphApi, type FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { startFakeOpenRouter, type FakeOpenRouter } from '../../dev/fakes/fake-openrouter';
import { eventually } from '../../dev/support/app-harness';
import { spawnApp, type AppProcess } from '../support/app-process';
import {
  doneCount,
  expectEachAnsweredOnceInOrder,
  sendBurst,
  shopsForBurst,
  testDb,
} from '../support/burst';
import { chargesPerAnswer, checkAftermath } from '../support/fault-checks';
import type { DataSource } from 'typeorm';

/**
 * Scaling out (issue 13): two worker processes and one api process, real child processes on
 * one database and one queue prefix. 200 messages from 20 chats: every one answered exactly
 * once, each chat in the order it was written, one charge per LLM call of each answer.
 */
describe('two workers and one api process on one queue', () => {
  let graph: FakeGraphApi;
  let llm: FakeOpenRouter;
  let db: DataSource;
  const procs: AppProcess[] = [];
  const queuePrefix = `${process.env.QUEUE_PREFIX}_two_${process.pid}`;

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    llm = await startFakeOpenRouter();
    db = await testDb();
  });
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.kill()));
    await db?.destroy();
    await graph?.close();
    await llm?.close();
  });

  it('answers 200 messages from 20 chats once each, in order per chat, charged once', async () => {
    const env = {
      QUEUE_PREFIX: queuePrefix,
      WHATSAPP_API_BASE_URL: graph.baseUrl,
      OPENROUTER_BASE_URL: llm.baseUrl,
      RELAY_INTERVAL_MS: '300',
      WORKER_CONCURRENCY: '8',
    };
    const started = Date.now();
    const [apiProc, w1, w2] = await Promise.all([
      spawnApp('api', env),
      spawnApp('worker', env),
      spawnApp('worker', env),
    ]);
    procs.push(apiProc, w1, w2);
    const shops = await shopsForBurst(db, apiProc, 20);
    const chats = await sendBurst(apiProc.url, shops, 10);
    await eventually(
      async () => (await doneCount(db, chats)) === 200,
      150_000,
      'all 200 messages done',
    );
    const levels = await expectEachAnsweredOnceInOrder(db, graph, chats);
    const charges = await chargesPerAnswer(db, [...levels.keys()]);
    // Each answer came from the LLM (level 1) and was paid for.
    expect([...levels.values()].filter((l) => l !== '1')).toEqual([]);
    expect([...charges.values()].filter((c) => c.debits < 1)).toEqual([]);
    const figures = await checkAftermath(
      db,
      shops.map((s) => s.id),
      { graph },
    );
    expect(figures).toMatchObject({ inbound: 200, processed: 200, replies: 200 });
    console.log(
      `two workers: 200 messages in ${Date.now() - started} ms (incl. process start), ` +
        `${llm.chatRequests().length} LLM calls, ${[...charges.values()].reduce((s, c) => s + c.debits, 0)} debits`,
    );
  });
});
