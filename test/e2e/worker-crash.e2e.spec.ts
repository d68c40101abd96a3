import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { startFakeGraphApi, type FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { startFakeOpenRouter, type FakeOpenRouter } from '../../dev/fakes/fake-openrouter';
import { sellPackage } from '../../dev/support/admin';
import { addProduct, addSale } from '../support/store';
import { createTenant } from '../../dev/support/tenants';
import { eventually, startApp, type RunningApp } from '../../dev/support/app-harness';
import { checkAftermath } from '../support/fault-checks';
import {
  envelope,
  newWamid,
  postWebhook,
  statusUpdate,
  textMessage,
} from '../../dev/support/webhook';

const ROOT = join(__dirname, '..', '..');

/**
 * A worker process killed (SIGKILL) in the middle of an answer, while its tokens are reserved
 * and the LLM call is in flight. Another worker takes the stalled job over: the owner gets one
 * reply, the shop pays for one answer, and the dead worker's reservation is given back.
 */
describe('a worker dying mid-job (e2e, real processes)', () => {
  let graph: FakeGraphApi;
  let llm: FakeOpenRouter;
  let api: RunningApp;
  let rescuer: RunningApp | undefined;
  let doomed: ChildProcess | undefined;
  const fast = {
    WORKER_LOCK_MS: '1500',
    WORKER_STALLED_INTERVAL_MS: '500',
    BILLING_SWEEP_INTERVAL_MS: '300',
  };

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    llm = await startFakeOpenRouter();
    api = await startApp(
      { WHATSAPP_API_BASE_URL: graph.baseUrl, OPENROUTER_BASE_URL: llm.baseUrl },
      'api',
    );
  });
  afterAll(async () => {
    doomed?.kill('SIGKILL');
    await rescuer?.close();
    await api?.close();
    await graph?.close();
    await llm?.close();
  });

  function spawnWorker(env: Record<string, string> = {}): ChildProcess {
    return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...fast,
        APP_ROLE: 'worker',
        PORT: '0',
        QUEUE_PREFIX: api.queuePrefix,
        WHATSAPP_API_BASE_URL: graph.baseUrl,
        OPENROUTER_BASE_URL: llm.baseUrl,
        ...env,
      },
      stdio: 'ignore',
    });
  }

  it('answers once and charges once after the worker is killed during the LLM call', async () => {
    const shop = await createTenant(api.db);
    await sellPackage(api, shop.id, 'pro');
    const coca = await addProduct(api.db, shop.id, { name: 'Coca-Cola 600 ml', priceCents: 1850 });
    const total = await addSale(api.db, shop.id, coca, 2, new Date(Date.now() - 5_000));

    // The first LLM call hangs: that is where the worker dies.
    llm.on(() => true, { delayMs: 120_000 }, { times: 1 });
    doomed = spawnWorker({ BILLING_RESERVATION_TTL_SECONDS: '2' });
    const wamid = newWamid();
    await postWebhook(
      api.url,
      envelope(
        {
          messages: [textMessage({ from: shop.ownerWaId, text: '¿cuánto vendí hoy?', wamid })],
        },
        shop.phoneNumberId,
      ),
    );
    await eventually(
      () => llm.chatRequests().length >= 1,
      60_000,
      'the doomed worker to call the LLM',
    );
    const [held] = (await api.db.query(
      `SELECT reserved FROM tenant_balances WHERE tenant_id = $1`,
      [shop.id],
    )) as { reserved: number }[];
    expect(held.reserved).toBeGreaterThan(0);

    doomed.kill('SIGKILL');
    await new Promise((resolve) => doomed!.once('exit', resolve));

    rescuer = await startApp(
      {
        ...fast,
        QUEUE_PREFIX: api.queuePrefix,
        WHATSAPP_API_BASE_URL: graph.baseUrl,
        OPENROUTER_BASE_URL: llm.baseUrl,
      },
      'worker',
    );
    const sent = await eventually(
      () => graph.sent.filter((s) => s.to === shop.ownerWaId).length > 0 && graph.sent,
      30_000,
      'the reply from the rescuing worker',
    );
    expect(sent.filter((s) => s.to === shop.ownerWaId)).toHaveLength(1);
    expect(sent[0].text).toContain('$37.00');
    expect(total).toBe(3700);

    // The dead worker's reservation is released by the sweeper; only the answer is paid.
    const settled = await eventually(
      async () => {
        const [b] = (await api.db.query(
          `SELECT available, reserved FROM tenant_balances WHERE tenant_id = $1`,
          [shop.id],
        )) as { available: number; reserved: number }[];
        return b.reserved === 0 && b;
      },
      15_000,
      'the stale reservation to be released',
    );
    const usage: { seq: number; tokens_total: number }[] = await api.db.query(
      `SELECT seq, tokens_total FROM token_usage WHERE inbound_wamid = $1 ORDER BY seq`,
      [wamid],
    );
    expect(new Set(usage.map((u) => u.seq)).size).toBe(usage.length);
    const used = usage.reduce((s, u) => s + u.tokens_total, 0);
    expect(used).toBeGreaterThan(0);
    expect(settled.available).toBe(8000 - used);
    const outbound = await api.db.query(
      `SELECT * FROM outbound_messages WHERE inbound_wamid = $1`,
      [wamid],
    );
    expect(outbound.filter((o: { purpose: string }) => o.purpose === 'reply')).toHaveLength(1);
    await checkAftermath(api.db, [shop.id], { graph });
  }, 120_000); // its waits add up to more than the default 30 s (spawning ts-node is slow under load)

  it('answers once and charges once after the worker is killed during the Graph send', async () => {
    const shop = await createTenant(api.db);
    await sellPackage(api, shop.id, 'pro');
    const coca = await addProduct(api.db, shop.id, { name: 'Coca-Cola 600 ml', priceCents: 1850 });
    await addSale(api.db, shop.id, coca, 3, new Date(Date.now() - 5_000));

    // Meta takes the send but the doomed worker never reads the answer: the fake holds every
    // request for 4 s, then records the message (as Meta does with a request it received).
    graph.delayMs = 4_000;
    const before = graph.sent.filter((s) => s.to === shop.ownerWaId).length;
    doomed = spawnWorker({ BILLING_RESERVATION_TTL_SECONDS: '2' });
    const wamid = newWamid();
    await postWebhook(
      api.url,
      envelope(
        {
          messages: [textMessage({ from: shop.ownerWaId, text: '¿cuánto vendí hoy?', wamid })],
        },
        shop.phoneNumberId,
      ),
    );
    await eventually(
      async () => {
        const [row] = (await api.db.query(
          `SELECT status FROM outbound_messages WHERE inbound_wamid = $1 AND purpose = 'reply'`,
          [wamid],
        )) as { status: string }[];
        // Claimed for the send: the request is at the (holding) Graph API now.
        return row?.status === 'sending';
      },
      60_000,
      'the doomed worker to send the reply',
    );
    doomed.kill('SIGKILL');
    await new Promise((resolve) => doomed!.once('exit', resolve));
    // The held request is recorded once its delay ends: Meta has the message.
    const delivered = await eventually(
      () =>
        graph.sent.find((s) => s.to === shop.ownerWaId && s.at > 0 && s.text.includes('$55.50')),
      15_000,
      'Meta to record the message the dead worker sent',
    );
    graph.delayMs = 0;

    // The first test's rescuer is still running (it would take this job too): one at a time.
    await rescuer?.close();
    rescuer = await startApp(
      {
        ...fast,
        QUEUE_PREFIX: api.queuePrefix,
        WHATSAPP_API_BASE_URL: graph.baseUrl,
        OPENROUTER_BASE_URL: llm.baseUrl,
        UNKNOWN_REPLY_RESEND_AFTER_SECONDS: '3',
        UNKNOWN_REPLY_CHECK_INTERVAL_MS: '500',
      },
      'worker',
    );
    // Meta's status webhook for that message, echoing what we set on the send.
    const status = {
      ...statusUpdate(delivered.wamid, 'sent', shop.ownerWaId),
      biz_opaque_callback_data: delivered.body.biz_opaque_callback_data,
    };
    expect(
      (await postWebhook(api.url, envelope({ statuses: [status] }, shop.phoneNumberId))).status,
    ).toBe(200);
    await eventually(
      async () => {
        const [r] = (await api.db.query(
          `SELECT i.status AS inbound, o.status AS outbound, o.wamid
             FROM inbound_messages i JOIN outbound_messages o ON o.inbound_wamid = i.wamid
            WHERE i.wamid = $1 AND o.purpose = 'reply'`,
          [wamid],
        )) as { inbound: string; outbound: string; wamid: string | null }[];
        return r?.inbound === 'processed' && r.outbound === 'sent' && r.wamid === delivered.wamid;
      },
      30_000,
      'the reply resolved from the status webhook',
    );
    // Past the re-send delay, the resolver has had its chances: still exactly one message.
    await new Promise((r) => setTimeout(r, 4_000));
    const toOwner = graph.sent.filter((s) => s.to === shop.ownerWaId);
    expect(toOwner).toHaveLength(before + 1);

    const replies = (await api.db.query(
      `SELECT count(*)::int AS n FROM outbound_messages WHERE inbound_wamid = $1 AND purpose = 'reply'`,
      [wamid],
    )) as { n: number }[];
    expect(replies[0].n).toBe(1);
    // One answer paid for: one charge per LLM round, no round charged twice.
    const usage: { seq: number; tokens_charged: number }[] = await api.db.query(
      `SELECT seq, tokens_charged FROM token_usage WHERE inbound_wamid = $1 ORDER BY seq`,
      [wamid],
    );
    expect(usage.length).toBeGreaterThan(0);
    expect(new Set(usage.map((u) => u.seq)).size).toBe(usage.length);
    await checkAftermath(api.db, [shop.id], { graph });
    await rescuer.close();
    rescuer = undefined;
  }, 150_000);

  it('on SIGTERM finishes the answer it is working on, then exits cleanly', async () => {
    // Only the process under test may take the job.
    await rescuer?.close();
    rescuer = undefined;
    const shop = await createTenant(api.db);
    await sellPackage(api, shop.id, 'pro');
    llm.reset();
    // A slow model: the signal arrives while the answer is in progress.
    llm.on(() => true, { delayMs: 1_500 }, { times: 1 });
    const worker = spawnWorker();
    // Nest closes the app, then re-raises the signal: the exit is by SIGTERM, after cleanup.
    const exited = new Promise<{ code: number | null; signal: string | null; at: number }>(
      (resolve) => worker.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
    );
    const wamid = newWamid();
    await postWebhook(
      api.url,
      envelope(
        {
          messages: [textMessage({ from: shop.ownerWaId, text: '¿cuánto vendí hoy?', wamid })],
        },
        shop.phoneNumberId,
      ),
    );
    await eventually(() => llm.chatRequests().length >= 1, 60_000, 'the worker to call the LLM');
    worker.kill('SIGTERM');

    const exit = await exited;
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    // The answer in progress was finished and sent before the process went away.
    const replies = graph.sent.filter((s) => s.to === shop.ownerWaId);
    expect(replies).toHaveLength(1);
    expect(replies[0].at).toBeLessThanOrEqual(exit.at);
    const [row] = (await api.db.query(`SELECT status FROM inbound_messages WHERE wamid = $1`, [
      wamid,
    ])) as { status: string }[];
    expect(row.status).toBe('processed');
    await checkAftermath(api.db, [shop.id], { graph });
  }, 120_000);
});
