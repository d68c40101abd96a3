import { Queue } from 'bullmq';
import { startFakeGraphApi, type FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { startFakeOpenRouter, type FakeOpenRouter } from '../../dev/fakes/fake-openrouter';
import { api } from '../../dev/support/admin-api';
import { eventually, startApp, type RunningApp } from '../../dev/support/app-harness';
import { isolatedDatabase } from '../../dev/support/database';
import { createTenant } from '../../dev/support/tenants';
import { checkAftermath } from '../support/fault-checks';
import { envelope, newWamid, postWebhook, textMessage } from '../../dev/support/webhook';
import { redisOptionsFromUrl } from '../../src/common/redis-options';
import { INBOUND_QUEUE, jobIdFor } from '../../src/inbox/inbound-queue';

/**
 * A message must never be stuck: a row left 'queued' when Redis lost its job, or left
 * 'processing' when its job died while PostgreSQL was down (the final mark was lost), is
 * re-queued by the reconciler once no live job exists, answered exactly once; one out of
 * attempts is failed for good and listed in /admin/inbox/failed.
 */
describe('inbox reconciler: stuck queued/processing rows with no live job', () => {
  let graph: FakeGraphApi;
  let openrouter: FakeOpenRouter;
  let ingest: RunningApp;
  let worker: RunningApp | undefined;
  let queue: Queue;
  let database: Awaited<ReturnType<typeof isolatedDatabase>>;

  const env = () => ({
    ...database.env,
    WHATSAPP_API_BASE_URL: graph.baseUrl,
    OPENROUTER_BASE_URL: openrouter.baseUrl,
    INBOX_STUCK_AFTER_SECONDS: '1',
    INBOX_MAX_ATTEMPTS: '3',
  });

  beforeAll(async () => {
    // Its rows are made to look an hour old: every other suite's app would reconcile them too.
    database = await isolatedDatabase('reconciler');
    graph = await startFakeGraphApi();
    openrouter = await startFakeOpenRouter();
    // Ingest only: no worker answers until the test starts one.
    ingest = await startApp(env(), 'api');
    queue = new Queue(INBOUND_QUEUE, {
      connection: redisOptionsFromUrl(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
      prefix: ingest.queuePrefix,
    });
  });
  afterAll(async () => {
    await worker?.close();
    await ingest?.close();
    await queue?.close();
    await graph?.close();
    await openrouter?.close();
    await database?.drop();
  });

  it('re-queues rows whose job is gone, answers each once, and fails the one out of attempts visibly', async () => {
    const shop = await createTenant(ingest.db);
    const [lostQueued, lostProcessing, exhausted] = [newWamid(), newWamid(), newWamid()];
    const texts = ['hola', 'buenas tardes', 'buenos días'];
    const res = await postWebhook(
      ingest.url,
      envelope(
        {
          messages: [lostQueued, lostProcessing, exhausted].map((wamid, i) =>
            textMessage({ from: shop.ownerWaId, text: texts[i], wamid }),
          ),
        },
        shop.phoneNumberId,
      ),
    );
    expect(res.status).toBe(200);
    const statusOf = async (wamid: string) =>
      (
        (await ingest.db.query(`SELECT status FROM inbound_messages WHERE wamid = $1`, [
          wamid,
        ])) as { status: string }[]
      )[0]?.status;
    for (const w of [lostQueued, lostProcessing, exhausted]) {
      await eventually(async () => (await statusOf(w)) === 'queued', 10_000, `${w} queued`);
    }

    // Two rows as a worker that died mid-job left them, all three untouched for an hour, in
    // one statement while their jobs still exist (the reconciler leaves rows with live jobs
    // alone, so it cannot act on a half-prepared row); then Redis loses the jobs.
    await ingest.db.query(
      `UPDATE inbound_messages
          SET status = CASE WHEN wamid = $1 THEN 'queued' ELSE 'processing' END,
              attempts = CASE WHEN wamid = $1 THEN 0 WHEN wamid = $2 THEN 1 ELSE 3 END,
              updated_at = now() - interval '1 hour'
        WHERE wamid = ANY($3)`,
      [lostQueued, lostProcessing, [lostQueued, lostProcessing, exhausted]],
    );
    for (const w of [lostQueued, lostProcessing, exhausted]) {
      await (await queue.getJob(jobIdFor(w)))?.remove();
    }

    worker = await startApp({ ...env(), QUEUE_PREFIX: ingest.queuePrefix }, 'worker');
    await eventually(
      async () =>
        (await statusOf(lostQueued)) === 'processed' &&
        (await statusOf(lostProcessing)) === 'processed' &&
        (await statusOf(exhausted)) === 'failed',
      20_000,
      'the stuck rows reconciled',
    );

    const replies: { inbound_wamid: string; n: number }[] = await ingest.db.query(
      `SELECT inbound_wamid, count(*)::int AS n FROM outbound_messages
        WHERE inbound_wamid = ANY($1) GROUP BY inbound_wamid ORDER BY inbound_wamid`,
      [[lostQueued, lostProcessing, exhausted]],
    );
    expect(replies).toEqual(
      [lostQueued, lostProcessing].sort().map((w) => ({ inbound_wamid: w, n: 1 })),
    );
    // The row is 'processed' once its reply is recorded; the send itself may finish a moment
    // later (the outbox), so wait for both to reach the Graph API, then check there are no more.
    const toOwner = () => graph.sent.filter((s) => s.to === shop.ownerWaId);
    await eventually(() => toOwner().length >= 2, 10_000, 'both replies sent');
    expect(toOwner()).toHaveLength(2);

    const failed = await api<{ wamid: string; lastError: string }[]>(
      ingest,
      'GET',
      '/admin/inbox/failed',
    );
    expect(failed.status).toBe(200);
    expect(failed.body.find((f) => f.wamid === exhausted)?.lastError).toMatch(
      /stuck after 3 attempts/,
    );
    await checkAftermath(ingest.db, [shop.id], { graph });
  });
});
