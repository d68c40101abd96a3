import { startFakeGraphApi, type FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { ownRedis, type OwnRedis } from '../../dev/support/redis-server';
import { spawnApp, type AppProcess } from '../support/app-process';

const STEP_MS = 2_000;

/**
 * SIGTERM to a real process (src/main.ts) while its Redis is gone: the process exits on its
 * own within the shutdown bound (every step limited by SHUTDOWN_STEP_TIMEOUT_MS), cleanly,
 * not by main.ts's last-resort exit(1) at 4 × the step.
 */
describe('SIGTERM while Redis is down (real process)', () => {
  let graph: FakeGraphApi;
  let redis: OwnRedis;
  const procs: AppProcess[] = [];

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    redis = await ownRedis();
    await redis.start();
  });
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.kill()));
    await redis?.stop();
    await graph?.close();
  });

  it.each(['all', 'worker'] as const)('%s role exits cleanly within the bound', async (role) => {
    const proc = await spawnApp(role, {
      QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}_term_${role}`,
      REDIS_URL: redis.url,
      WHATSAPP_API_BASE_URL: graph.baseUrl,
      SHUTDOWN_STEP_TIMEOUT_MS: String(STEP_MS),
    });
    procs.push(proc);
    await redis.stop();
    // Readiness notices Redis is gone (its own check, ~1 s): the process is now in the state
    // the test is about, its clients reconnecting.
    await expectEventuallyUnready(proc.url);
    const signalled = Date.now();
    proc.child.kill('SIGTERM');
    const exit = await Promise.race([
      proc.exited,
      new Promise<null>((r) => setTimeout(() => r(null), 4 * STEP_MS + 20_000).unref()),
    ]);
    expect(exit).not.toBeNull();
    expect(exit!.code === 0 || exit!.signal === 'SIGTERM').toBe(true);
    console.log(`SIGTERM with Redis down (${role}): exited in ${exit!.at - signalled} ms`);
    await redis.start();
  });
});

async function expectEventuallyUnready(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = await fetch(`${url}/health/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 503) return;
    if (Date.now() > deadline) throw new Error(`still ready (${status}) with Redis down`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
