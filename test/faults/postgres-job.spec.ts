import { Queue } from 'bullmq';
import { startFakeGraphApi, type FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { startFakeOpenRouter, type FakeOpenRouter } from '../../dev/fakes/fake-openrouter';
import { sellPackage } from '../../dev/support/admin';
import { eventually, startApp, type RunningApp } from '../../dev/support/app-harness';
import { createTenant } from '../../dev/support/tenants';
import { envelope, newWamid, postWebhook, textMessage } from '../../dev/support/webhook';
import { redisOptionsFromUrl } from '../../src/common/redis-options';
import { INBOUND_JOB_OPTIONS, INBOUND_QUEUE, jobIdFor } from '../../src/inbox/inbound-queue';
import { chargesPerAnswer, checkAftermath } from '../support/fault-checks';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

/**
 * PostgreSQL cut (TCP proxy) while a job is in the middle of its LLM call, and kept down until
 * the job has used up every BullMQ attempt: the job cannot write its answer nor its final
 * mark, so the row stays 'processing' with no live job (the stuck-row case). Once the
 * database is back the reconciler re-queues it and the message is answered exactly once.
 */
describe('PostgreSQL cut during a job', () => {
  let graph: FakeGraphApi;
  let llm: FakeOpenRouter;
  let proxy: TcpProxy;
  let t: RunningApp;
  let queue: Queue;

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    llm = await startFakeOpenRouter();
    const db = new URL(process.env.DATABASE_URL!);
    proxy = await startTcpProxy(db.hostname, Number(db.port || 5432));
    db.hostname = '127.0.0.1';
    db.port = String(proxy.port);
    t = await startApp({
      WHATSAPP_API_BASE_URL: graph.baseUrl,
      OPENROUTER_BASE_URL: llm.baseUrl,
      DATABASE_URL: db.toString(),
      INBOX_STUCK_AFTER_SECONDS: '3',
      LLM_DEADLINE_MS: '2500',
      WORKER_LOCK_MS: '1500',
      WORKER_STALLED_INTERVAL_MS: '500',
      BILLING_RESERVATION_TTL_SECONDS: '5',
      BILLING_SWEEP_INTERVAL_MS: '300',
    });
    queue = new Queue(INBOUND_QUEUE, {
      connection: redisOptionsFromUrl(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
      prefix: t.queuePrefix,
    });
  });
  afterAll(async () => {
    proxy?.restore();
    await t?.close();
    await queue?.close();
    await proxy?.close();
    await graph?.close();
    await llm?.close();
  });

  it('answers the message once after the database comes back', async () => {
    const started = Date.now();
    const shop = await createTenant(t.db);
    await sellPackage(t, shop.id, 'pro');
    // The first LLM call takes a while: the cut happens while it is in flight.
    llm.on(() => true, { delayMs: 1_000 }, { times: 1 });
    const wamid = newWamid();
    const res = await postWebhook(
      t.url,
      envelope(
        { messages: [textMessage({ from: shop.ownerWaId, text: '¿cuánto vendí hoy?', wamid })] },
        shop.phoneNumberId,
      ),
    );
    expect(res.status).toBe(200);
    await eventually(() => llm.chatRequests().length >= 1, 30_000, 'the LLM call');
    proxy.cut();
    // The slow answer has come back to a worker that cannot reach the database.
    await eventually(
      () => llm.chatRequests()[0].serviceMs !== undefined,
      10_000,
      'the LLM answer in flight',
    );
    // Down until the job is out of attempts (BullMQ's backoff: 2+4+8+16 s).
    const job = await eventually(
      async () => {
        const j = await queue.getJob(jobIdFor(wamid));
        return j && (await j.getState()) === 'failed' && j;
      },
      60_000,
      'the job to fail for good while the database is down',
    );
    expect(job.attemptsMade).toBe(INBOUND_JOB_OPTIONS.attempts);
    expect(graph.sent.filter((s) => s.to === shop.ownerWaId)).toHaveLength(0);
    proxy.restore();

    await eventually(
      async () => {
        const [r] = (await t.db.query(`SELECT status FROM inbound_messages WHERE wamid = $1`, [
          wamid,
        ])) as { status: string }[];
        return r?.status === 'processed';
      },
      60_000,
      'the message processed after recovery',
    );
    await eventually(() => graph.sent.some((s) => s.to === shop.ownerWaId), 10_000, 'the reply');
    expect(graph.sent.filter((s) => s.to === shop.ownerWaId)).toHaveLength(1);
    const charges = await chargesPerAnswer(t.db, [wamid]);
    expect(charges.get(wamid)!.debits).toBeGreaterThanOrEqual(1);
    await checkAftermath(t.db, [shop.id], { graph });
    console.log(`postgres cut during a job: answered once after ${Date.now() - started} ms`);
  });
});
