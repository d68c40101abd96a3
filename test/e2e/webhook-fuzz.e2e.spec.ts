import fc from 'fast-check';
import { startFakeGraphApi, type FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { startApp, type RunningApp } from '../../dev/support/app-harness';
import { whatsappFieldArbitraries } from '../support/webhook-arbitraries';
import { envelope, newWaId, newWamid, postWebhook, textMessage } from '../../dev/support/webhook';

/**
 * Whatever a signed POST carries, the webhook never answers 5xx (Meta would retry it for
 * days) and the process stays up. Unsigned garbage is always a 401.
 */
describe('webhook fuzzing (fast-check)', () => {
  let graph: FakeGraphApi;
  let t: RunningApp;

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    t = await startApp({ WHATSAPP_API_BASE_URL: graph.baseUrl });
  });
  afterAll(async () => {
    await t?.close();
    await graph?.close();
  });

  const expectNo5xx = async (body: string | Buffer) => {
    const res = await postWebhook(t.url, body);
    if (res.status >= 500)
      throw new Error(`${res.status} for ${String(body).slice(0, 200)}: ${res.text}`);
    return res.status;
  };

  it('arbitrary signed JSON values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const status = await expectNo5xx(JSON.stringify(value));
        expect([200, 400]).toContain(status);
      }),
      { numRuns: 150 },
    );
  });

  it('arbitrary signed bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
        await expectNo5xx(Buffer.from(bytes));
      }),
      { numRuns: 150 },
    );
  });

  it('WhatsApp-shaped payloads with arbitrary field values (NULs, lone surrogates, huge numbers)', async () => {
    const { message, status } = whatsappFieldArbitraries();
    await fc.assert(
      fc.asyncProperty(
        fc.array(message, { maxLength: 4 }),
        fc.array(status, { maxLength: 3 }),
        async (messages, statuses) => {
          const status200 = await expectNo5xx(
            JSON.stringify(
              envelope({
                messages: messages as Record<string, unknown>[],
                statuses: statuses as Record<string, unknown>[],
              }),
            ),
          );
          expect(status200).toBe(200);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('regression: a timestamp far in the future (year 21000) is a malformed message, not a 503', async () => {
    const body = JSON.stringify(
      envelope({
        messages: [{ from: '00000', id: '\u0000', timestamp: '600000000000', type: '\u0000' }],
      }),
    );
    expect(await expectNo5xx(body)).toBe(200);
  });

  it('regression: a signed message nested 5,000 levels deep is stored as malformed with 200, not a 500 for the batch', async () => {
    // Written as text: JSON.stringify of the object would itself overflow Jest's stack.
    const deep = `${'{"a":'.repeat(5_000)}"x"${'}'.repeat(5_000)}`;
    const bad = newWamid();
    const good = newWamid();
    const from = newWaId();
    const body = JSON.stringify(
      envelope({
        messages: [
          { ...textMessage({ from, text: 'hola', wamid: bad }), context: '<deep>' },
          textMessage({ from, text: 'hola', wamid: good }),
        ],
      }),
    ).replace('"<deep>"', deep);
    expect(await expectNo5xx(body)).toBe(200);
    const rows: { wamid: string; type: string; status: string; payload: unknown }[] =
      await t.db.query(
        `SELECT wamid, type, status, ignore_reason, payload FROM inbound_messages
          WHERE wamid = ANY($1)`,
        [[bad, good]],
      );
    const byWamid = new Map(rows.map((r) => [r.wamid, r]));
    expect(byWamid.get(good)?.type).toBe('text');
    expect(byWamid.get(bad)).toMatchObject({
      type: 'malformed',
      status: 'ignored',
      ignore_reason: 'malformed',
    });
    expect(JSON.stringify(byWamid.get(bad)?.payload).length).toBeLessThan(1_000);
  });

  it('regression: a webhook body over 256 KB is refused (413) before it is read in full', async () => {
    const big = JSON.stringify(
      envelope({
        messages: [textMessage({ from: newWaId(), text: 'x'.repeat(300 * 1024) })],
      }),
    );
    const res = await postWebhook(t.url, big);
    expect(res.status).toBe(413);
    // A large but real delivery (a batch of long texts, ~100 KB) still fits.
    const batch = JSON.stringify(
      envelope({
        messages: Array.from({ length: 25 }, () =>
          textMessage({ from: newWaId(), text: 'y'.repeat(4_096) }),
        ),
      }),
    );
    expect((await postWebhook(t.url, batch)).status).toBe(200);
  });

  it('unsigned arbitrary bytes are always 401', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        const res = await postWebhook(t.url, Buffer.from(bytes), { signature: null });
        expect(res.status).toBe(401);
      }),
      { numRuns: 50 },
    );
  });

  it('is still healthy afterwards', async () => {
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
  });
});
