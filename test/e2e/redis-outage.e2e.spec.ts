import { startFakeGraphApi, type FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { ownRedis, type OwnRedis } from '../../dev/support/redis-server';
import { createTenant } from '../../dev/support/tenants';
import { eventually, startApp, type RunningApp } from '../../dev/support/app-harness';
import { checkAftermath } from '../support/fault-checks';
import { envelope, newWamid, postWebhook, textMessage } from '../../dev/support/webhook';

describe('Redis going away (own redis-server on a random port)', () => {
  let graph: FakeGraphApi;
  let redis: OwnRedis;
  let t: RunningApp;

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    redis = await ownRedis();
    await redis.start();
    t = await startApp({ WHATSAPP_API_BASE_URL: graph.baseUrl, REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
    await graph?.close();
  });

  it('still answers 200 while Redis is down, then processes the message once Redis is back', async () => {
    const shop = await createTenant(t.db);
    await redis.stop();

    const wamid = newWamid();
    // Redis is still down when this answer comes: the webhook does not wait for it.
    const res = await postWebhook(
      t.url,
      envelope(
        {
          messages: [textMessage({ from: shop.ownerWaId, text: 'hola', wamid })],
        },
        shop.phoneNumberId,
      ),
    );
    expect(res.status).toBe(200);
    const [row] = (await t.db.query(`SELECT status FROM inbound_messages WHERE wamid = $1`, [
      wamid,
    ])) as {
      status: string;
    }[];
    expect(row.status).toBe('received');
    const health = await fetch(`${t.url}/health`);
    expect(health.status).toBe(503);

    await redis.start();
    const sent = await eventually(
      () => graph.sent.find((s) => s.to === shop.ownerWaId),
      20_000,
      'the reply',
    );
    expect(sent.to).toBe(shop.ownerWaId);
    await eventually(async () => {
      const [r] = (await t.db.query(`SELECT status FROM inbound_messages WHERE wamid = $1`, [
        wamid,
      ])) as {
        status: string;
      }[];
      return r.status === 'processed';
    });
    expect(graph.sent.filter((s) => s.to === shop.ownerWaId)).toHaveLength(1);
    await checkAftermath(t.db, [shop.id], { graph });
  }, 45_000);
});
