import { startFakeGraphApi, type FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { createTenant } from '../../dev/support/tenants';
import { eventually, startApp, type RunningApp } from '../../dev/support/app-harness';
import { checkAftermath } from '../support/fault-checks';
import { envelope, newWamid, postWebhook, textMessage } from '../../dev/support/webhook';

describe('PostgreSQL going away (through a TCP proxy the test controls)', () => {
  let graph: FakeGraphApi;
  let proxy: TcpProxy;
  let t: RunningApp;

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    const db = new URL(process.env.DATABASE_URL!);
    proxy = await startTcpProxy(db.hostname, Number(db.port || 5432));
    db.hostname = '127.0.0.1';
    db.port = String(proxy.port);
    t = await startApp({ WHATSAPP_API_BASE_URL: graph.baseUrl, DATABASE_URL: db.toString() });
  });
  afterAll(async () => {
    proxy?.restore();
    await t?.close();
    await proxy?.close();
    await graph?.close();
  });

  it('answers 503 while the database is unreachable (so Meta retries), and stores the retry once it is back', async () => {
    const shop = await createTenant(t.db);
    const wamid = newWamid();
    const payload = JSON.stringify(
      envelope(
        {
          messages: [textMessage({ from: shop.ownerWaId, text: 'se rompieron 3 huevos', wamid })],
        },
        shop.phoneNumberId,
      ),
    );

    proxy.cut();
    const res = await postWebhook(t.url, payload);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text)).toMatchObject({ statusCode: 503 });

    proxy.restore();
    // Meta redelivers the same payload; the pool reconnects and the message goes through.
    const retried = await eventually(
      async () => {
        const r = await postWebhook(t.url, payload);
        return r.status === 200 ? r : null;
      },
      15_000,
      'a 200 after the database came back',
    );
    expect(retried.status).toBe(200);
    await eventually(() => graph.sent.find((s) => s.to === shop.ownerWaId), 15_000);
    const rows = (await t.db.query(
      `SELECT count(*)::int AS n FROM inbound_messages WHERE wamid = $1`,
      [wamid],
    )) as {
      n: number;
    }[];
    expect(rows[0].n).toBe(1);
    await eventually(
      async () => (await checkAftermath(t.db, [shop.id], { graph })).processed === 1,
      15_000,
      'the aftermath check',
    );
  }, 45_000);
});
