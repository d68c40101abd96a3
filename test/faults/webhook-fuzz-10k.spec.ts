import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startFakeGraphApi, type FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { startApp, type RunningApp } from '../../dev/support/app-harness';
import { envelope, postWebhook } from '../../dev/support/webhook';
import { whatsappFieldArbitraries } from '../support/webhook-arbitraries';

const TOTAL = 10_000;
const CONCURRENCY = 8;
const CHUNK = 500;

/** A full GC before each reading, so the figures compare live memory, not garbage. */
function memory(): { rss: number; heap: number } {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

/**
 * 10,000 fuzzed, correctly signed bodies (WhatsApp-shaped with arbitrary field values,
 * arbitrary JSON, arbitrary bytes) against one app: never a 5xx, and the process's memory
 * stays flat. RSS before/after is printed; it is asserted only against a generous bound (a
 * leak of ~50 KB per request would cross it), never as a timing.
 */
describe('10,000 fuzzed signed webhook bodies', () => {
  let graph: FakeGraphApi;
  let t: RunningApp;

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    t = await startApp({ WHATSAPP_API_BASE_URL: graph.baseUrl }, 'api');
  });
  afterAll(async () => {
    await t?.close();
    await graph?.close();
  });

  it('answers no 5xx and keeps RSS within a generous bound', async () => {
    const { message, status } = whatsappFieldArbitraries();
    const shaped = fc
      .tuple(fc.array(message, { maxLength: 4 }), fc.array(status, { maxLength: 3 }))
      .map(([messages, statuses]) => JSON.stringify(envelope({ messages, statuses })));
    const body = fc.oneof(
      { weight: 5, arbitrary: shaped.map((s) => Buffer.from(s)) },
      { weight: 3, arbitrary: fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
      { weight: 2, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)) },
    );
    // A warm-up so lazy initialisation is not counted as growth.
    for (const b of fc.sample(body, { numRuns: 200, seed: 1 })) await postWebhook(t.url, b);
    const before = memory();

    const statuses = new Map<number, number>();
    const serverErrors: string[] = [];
    // Generated a chunk at a time, so the bodies themselves do not count as the app's growth.
    for (let chunk = 0; chunk < TOTAL / CHUNK; chunk++) {
      const bodies = fc.sample(body, { numRuns: CHUNK, seed: 20261203 + chunk });
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < bodies.length) {
            const b = bodies[next++];
            const res = await postWebhook(t.url, b);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status >= 500) {
              serverErrors.push(`${res.status} for ${b.toString().slice(0, 200)}: ${res.text}`);
            }
          }
        }),
      );
    }
    const after = memory();
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    console.log(
      `fuzz ${TOTAL}: statuses ${JSON.stringify(Object.fromEntries(statuses))}; ` +
        `RSS before ${mb(before.rss)} MB, after ${mb(after.rss)} MB (${mb(after.rss - before.rss)} MB); ` +
        `heap used before ${mb(before.heap)} MB, after ${mb(after.heap)} MB`,
    );
    expect(serverErrors.slice(0, 5)).toEqual([]);
    expect([...statuses.values()].reduce((s, n) => s + n, 0)).toBe(TOTAL);
    expect(after.rss - before.rss).toBeLessThan(500 * 1024 * 1024);
    // Live JS memory after a full GC: a leak of ~10 KB per request would cross this.
    expect(after.heap - before.heap).toBeLessThan(100 * 1024 * 1024);
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
  });
});
