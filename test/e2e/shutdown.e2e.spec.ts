import { startFakeGraphApi, type FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { ownRedis, type OwnRedis } from '../../dev/support/redis-server';
import { startApp } from '../../dev/support/app-harness';

/**
 * Shutdown is bounded: with Redis gone, app.close() (what SIGTERM runs) still returns, every
 * step limited by its own timeout, instead of hanging on reconnecting clients.
 */
describe('shutdown with Redis down', () => {
  let graph: FakeGraphApi;
  let redis: OwnRedis;

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    redis = await ownRedis();
  });
  afterAll(async () => {
    await redis?.stop();
    await graph?.close();
  });

  it('app.close() returns within the shutdown bound although Redis is unreachable', async () => {
    await redis.start();
    const t = await startApp({
      WHATSAPP_API_BASE_URL: graph.baseUrl,
      REDIS_URL: redis.url,
      SHUTDOWN_STEP_TIMEOUT_MS: '2000',
    });
    await redis.stop();
    const closed = t.close().then(() => 'closed' as const);
    const bound = new Promise<'hung'>((r) => setTimeout(() => r('hung'), 25_000).unref());
    expect(await Promise.race([closed, bound])).toBe('closed');
  }, 40_000);
});
