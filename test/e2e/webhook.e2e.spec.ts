import { createTenant, type TestTenant } from '../../dev/support/tenants';
import { eventually } from '../../dev/support/app-harness';
import { useAppWithFakes } from '../../dev/support/app-with-fakes';
import {
  envelope,
  newWaId,
  newWamid,
  postWebhook,
  statusUpdate,
  textMessage,
} from '../../dev/support/webhook';

describe('WhatsApp webhook (e2e, real PostgreSQL and Redis, fake Graph API)', () => {
  const { graph, t } = useAppWithFakes();
  let shop: TestTenant;

  beforeAll(async () => {
    shop = await createTenant(t.db);
  });
  beforeEach(() => graph.reset());
  /** Replies the fake Graph API got for one number (each test that counts uses its own shop). */
  const sentTo = (waId: string) => graph.sent.filter((s) => s.to === waId);

  const rowsFor = (wamid: string) =>
    t.db.query(`SELECT * FROM inbound_messages WHERE wamid = $1`, [wamid]) as Promise<
      Record<string, unknown>[]
    >;
  const repliesTo = (wamid: string) =>
    t.db.query(`SELECT * FROM outbound_messages WHERE inbound_wamid = $1`, [wamid]) as Promise<
      Record<string, unknown>[]
    >;

  describe('verification handshake', () => {
    const get = (qs: string) => fetch(`${t.url}/webhooks/whatsapp?${qs}`);

    it('echoes hub.challenge as plain text for the right token', async () => {
      const res = await get(
        'hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=1158201444',
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe('1158201444');
    });

    it('answers 403 to a wrong token', async () => {
      const res = await get('hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1');
      expect(res.status).toBe(403);
    });

    it('answers 403 when the challenge or the mode is missing', async () => {
      expect((await get('hub.mode=subscribe&hub.verify_token=test-verify-token')).status).toBe(403);
      expect((await get('hub.verify_token=test-verify-token&hub.challenge=1')).status).toBe(403);
    });
  });

  describe('signature', () => {
    const body = () =>
      envelope(
        { messages: [textMessage({ from: shop.ownerWaId, text: 'hola' })] },
        shop.phoneNumberId,
      );

    it('accepts a body signed over its raw bytes', async () => {
      const payload = body();
      const res = await postWebhook(t.url, payload);
      expect(res.status).toBe(200);
      const wamid = (payload.entry as { changes: { value: { messages: { id: string }[] } }[] }[])[0]
        .changes[0].value.messages[0].id;
      expect(await rowsFor(wamid)).toHaveLength(1);
    });

    it('rejects a missing signature with 401 and stores nothing', async () => {
      const wamid = newWamid();
      const res = await postWebhook(
        t.url,
        envelope(
          { messages: [textMessage({ from: shop.ownerWaId, text: 'x', wamid })] },
          shop.phoneNumberId,
        ),
        { signature: null },
      );
      expect(res.status).toBe(401);
      expect(await rowsFor(wamid)).toHaveLength(0);
    });

    it('rejects a wrong signature (other secret, garbage, wrong prefix) with 401', async () => {
      const wamid = newWamid();
      const payload = envelope(
        {
          messages: [textMessage({ from: shop.ownerWaId, text: 'x', wamid })],
        },
        shop.phoneNumberId,
      );
      expect((await postWebhook(t.url, payload, { secret: 'another-secret' })).status).toBe(401);
      expect((await postWebhook(t.url, payload, { signature: 'sha256=deadbeef' })).status).toBe(
        401,
      );
      expect(
        (await postWebhook(t.url, payload, { signature: 'sha1=' + 'a'.repeat(40) })).status,
      ).toBe(401);
      expect(await rowsFor(wamid)).toHaveLength(0);
    });

    it('rejects a signature computed over re-serialized JSON instead of the raw bytes', async () => {
      const wamid = newWamid();
      const payload = envelope(
        {
          messages: [textMessage({ from: shop.ownerWaId, text: 'á é', wamid })],
        },
        shop.phoneNumberId,
      );
      // Meta sends bytes with its own spacing/escaping; a signature over JSON.stringify differs.
      const raw = JSON.stringify(payload, null, 1).replace(/á/g, '\\u00e1');
      const { signBody } = await import('../../src/whatsapp/signature');
      const reserialized = signBody(JSON.stringify(JSON.parse(raw)), 'test-app-secret');
      const res = await postWebhook(t.url, raw, { signature: reserialized });
      expect(res.status).toBe(401);
      expect(await rowsFor(wamid)).toHaveLength(0);
      // …while the same bytes signed as sent are accepted.
      expect((await postWebhook(t.url, raw)).status).toBe(200);
    });

    it('rejects an empty body without a valid signature (401) and a signed empty body (400)', async () => {
      expect((await postWebhook(t.url, '', { signature: null })).status).toBe(401);
      expect((await postWebhook(t.url, '', { signature: 'sha256=' + '0'.repeat(64) })).status).toBe(
        401,
      );
      expect((await postWebhook(t.url, '')).status).toBe(400);
    });

    it('answers 400 to a signed body that is not JSON, whatever its content type', async () => {
      expect((await postWebhook(t.url, 'not json {')).status).toBe(400);
      expect((await postWebhook(t.url, 'hola', { contentType: 'text/plain' })).status).toBe(400);
    });

    it('answers 200 and ignores signed JSON that is not a WhatsApp payload', async () => {
      expect((await postWebhook(t.url, { object: 'page', entry: [] })).status).toBe(200);
      expect((await postWebhook(t.url, '[1, 2, 3]')).status).toBe(200);
      const metrics = await (await fetch(`${t.url}/metrics`)).text();
      expect(metrics).toMatch(/webhook_requests_total\{outcome="not_whatsapp"\} [1-9]/);
    });
  });

  describe('durable, exactly-once ingestion', () => {
    it('stores and answers a text message once', async () => {
      const wamid = newWamid();
      const res = await postWebhook(
        t.url,
        envelope(
          {
            messages: [textMessage({ from: shop.ownerWaId, text: '¿cuánto vendí hoy?', wamid })],
          },
          shop.phoneNumberId,
        ),
      );
      expect(res.status).toBe(200);
      const sent = await eventually(async () => {
        const [reply] = await repliesTo(wamid);
        return graph.sent.find((s) => reply && s.wamid === reply.wamid);
      });
      expect(sent.to).toBe(shop.ownerWaId);
      // The shop has no tokens: the level-2 answer with its real (zero) sales and how to top up.
      expect(sent.text).toContain('Hoy llevas $0.00 en 0 ventas');
      expect(sent.phoneNumberId).toBe(shop.phoneNumberId);
      const [row] = await eventually(async () => {
        const rows = await rowsFor(wamid);
        return rows[0]?.status === 'processed' ? rows : null;
      });
      expect(row.tenant_id).toBe(shop.id);
      expect(row.text).toBe('¿cuánto vendí hoy?');
      const replies = await repliesTo(wamid);
      expect(replies).toHaveLength(1);
      expect(replies[0].wamid).toBe(sent.wamid);
      expect(replies[0].status).toBe('sent');
      // The worker marked the message read (blue ticks) and showed typing.
      expect(graph.reads.filter((r) => r.messageId === wamid)).toEqual([
        { phoneNumberId: shop.phoneNumberId, messageId: wamid, typing: true },
      ]);
    });

    it('shares one write among concurrent requests: 20 fresh messages each POSTed twice at once → 20 rows, 20 replies', async () => {
      const shop = await createTenant(t.db);
      const wamids = Array.from({ length: 20 }, () => newWamid());
      const payloads = wamids.map((wamid) =>
        JSON.stringify(
          envelope(
            { messages: [textMessage({ from: shop.ownerWaId, text: 'gracias', wamid })] },
            shop.phoneNumberId,
          ),
        ),
      );
      // Both copies of each delivery in flight together, so they can land in the same batch.
      const responses = await Promise.all(
        [...payloads, ...payloads].map((payload) => postWebhook(t.url, payload)),
      );
      expect(responses.every((r) => r.status === 200)).toBe(true);
      const rows = (await t.db.query(
        `SELECT wamid, count(*)::int AS n FROM inbound_messages WHERE wamid = ANY($1) GROUP BY wamid`,
        [wamids],
      )) as { wamid: string; n: number }[];
      expect(rows).toHaveLength(20);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      await eventually(
        async () => {
          const [{ n }] = (await t.db.query(
            `SELECT count(*)::int AS n FROM inbound_messages WHERE wamid = ANY($1) AND status = 'processed'`,
            [wamids],
          )) as { n: number }[];
          return n === 20;
        },
        30_000,
        'all 20 processed',
      );
      const replies = (await t.db.query(
        `SELECT inbound_wamid, count(*)::int AS n FROM outbound_messages
          WHERE inbound_wamid = ANY($1) AND purpose = 'reply' GROUP BY inbound_wamid`,
        [wamids],
      )) as { inbound_wamid: string; n: number }[];
      expect(replies).toHaveLength(20);
      expect(replies.every((r) => r.n === 1)).toBe(true);
    });

    it('turns the same delivery POSTed 5 times, sequentially and concurrently, into one row, one job, one reply', async () => {
      const shop = await createTenant(t.db);
      const wamid = newWamid();
      const payload = JSON.stringify(
        envelope(
          {
            messages: [textMessage({ from: shop.ownerWaId, text: 'llegaron 24 cocas', wamid })],
          },
          shop.phoneNumberId,
        ),
      );
      for (let i = 0; i < 5; i++) expect((await postWebhook(t.url, payload)).status).toBe(200);
      const concurrent = await Promise.all(
        Array.from({ length: 5 }, () => postWebhook(t.url, payload)),
      );
      expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);

      await eventually(async () => (await rowsFor(wamid))[0]?.status === 'processed');
      await new Promise((r) => setTimeout(r, 500)); // room for any duplicate to show up
      expect(await rowsFor(wamid)).toHaveLength(1);
      expect(sentTo(shop.ownerWaId)).toHaveLength(1);
      expect(await repliesTo(wamid)).toHaveLength(1);
      const { Queue } = await import('bullmq');
      const queue = new Queue('inbound', {
        connection: { host: '127.0.0.1', port: 6379 },
        prefix: t.queuePrefix,
      });
      try {
        const counts = await queue.getJobCounts(
          'completed',
          'failed',
          'waiting',
          'active',
          'delayed',
        );
        const job = await queue.getJob(wamid);
        expect(job?.attemptsMade).toBe(1);
        expect(counts.failed + counts.waiting + counts.active + counts.delayed).toBe(0);
      } finally {
        await queue.close();
      }
    });

    it('handles every message of a batch POST (3 messages → 3 rows, 3 replies, in order)', async () => {
      const shop = await createTenant(t.db);
      const wamids = [newWamid(), newWamid(), newWamid()];
      const texts = ['hola', 'ayuda', 'muchas gracias'];
      const payload = envelope(
        {
          messages: wamids.map((wamid, i) =>
            textMessage({ from: shop.ownerWaId, text: texts[i], wamid }),
          ),
        },
        shop.phoneNumberId,
      );
      expect((await postWebhook(t.url, payload)).status).toBe(200);
      const sent = await eventually(() => {
        const mine = sentTo(shop.ownerWaId);
        return mine.length >= 3 ? mine : null;
      });
      expect(sent[0].text).toMatch(/^¡Hola/);
      expect(sent[1].text).toMatch(/^Esto es lo que puedo hacer/);
      expect(sent[2].text).toMatch(/Con gusto/);
      for (const wamid of wamids) {
        await eventually(async () => (await rowsFor(wamid))[0]?.status === 'processed');
        expect(await repliesTo(wamid)).toHaveLength(1);
      }
    });

    it("stores but does not answer messages from numbers that are not the shop's", async () => {
      const wamid = newWamid();
      expect(
        (
          await postWebhook(
            t.url,
            envelope(
              { messages: [textMessage({ from: newWaId(), text: 'hola', wamid })] },
              shop.phoneNumberId,
            ),
          )
        ).status,
      ).toBe(200);
      // Stored at once; which shop it is for is the worker's call (the ingest path stays one
      // INSERT with no tenant lookup), so the verdict lands shortly after.
      expect(await rowsFor(wamid)).toHaveLength(1);
      const row = await eventually(async () => {
        const [r] = await rowsFor(wamid);
        return ['processing', 'received', 'queued'].includes(r?.status as string) ? null : r;
      });
      // Filed under the shop whose number it reached, never answered.
      expect(row).toMatchObject({
        status: 'ignored',
        ignore_reason: 'unknown_sender',
        tenant_id: shop.id,
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(graph.sent).toHaveLength(0);
    });

    it('stores but does not answer messages older than INBOUND_MAX_AGE_HOURS', async () => {
      const wamid = newWamid();
      const old = Math.floor(Date.now() / 1000) - 25 * 3600;
      const payload = envelope(
        {
          messages: [textMessage({ from: shop.ownerWaId, text: 'de ayer', wamid, timestamp: old })],
        },
        shop.phoneNumberId,
      );
      expect((await postWebhook(t.url, payload)).status).toBe(200);
      expect((await rowsFor(wamid))[0]).toMatchObject({
        status: 'ignored',
        ignore_reason: 'stale',
      });
    });

    it('keeps the valid messages of a payload that also carries malformed ones', async () => {
      const good = newWamid();
      const payload = envelope(
        {
          messages: [
            { id: newWamid(), type: 'text' },
            textMessage({ from: shop.ownerWaId, text: 'ok', wamid: good }),
          ],
        },
        shop.phoneNumberId,
      );
      expect((await postWebhook(t.url, payload)).status).toBe(200);
      expect(await rowsFor(good)).toHaveLength(1);
    });

    it('stores non-text message types with their words where they have some', async () => {
      const wamid = newWamid();
      const payload = envelope(
        {
          messages: [
            {
              from: shop.ownerWaId,
              id: wamid,
              timestamp: String(Math.floor(Date.now() / 1000)),
              type: 'interactive',
              interactive: {
                type: 'button_reply',
                button_reply: { id: 'pkg:basico', title: 'Básico' },
              },
            },
          ],
        },
        shop.phoneNumberId,
      );
      expect((await postWebhook(t.url, payload)).status).toBe(200);
      expect((await rowsFor(wamid))[0]).toMatchObject({ type: 'interactive', text: 'Básico' });
    });
  });

  describe('delivery statuses', () => {
    it('moves the outbound message forward and records failures with their code', async () => {
      const wamid = newWamid();
      await postWebhook(
        t.url,
        envelope(
          { messages: [textMessage({ from: shop.ownerWaId, text: 'hola', wamid })] },
          shop.phoneNumberId,
        ),
      );
      // Other tests' replies may still be arriving: follow this message's own reply.
      const sent = await eventually(async () => {
        const [row] = await repliesTo(wamid);
        return row?.status === 'sent' ? { wamid: row.wamid as string } : null;
      });

      // read arrives before delivered (Meta does not guarantee order): it must not go back.
      expect(
        (
          await postWebhook(
            t.url,
            envelope(
              { statuses: [statusUpdate(sent.wamid, 'read', shop.ownerWaId)] },
              shop.phoneNumberId,
            ),
          )
        ).status,
      ).toBe(200);
      await postWebhook(
        t.url,
        envelope(
          { statuses: [statusUpdate(sent.wamid, 'delivered', shop.ownerWaId)] },
          shop.phoneNumberId,
        ),
      );
      let [reply] = await repliesTo(wamid);
      expect(reply.status).toBe('read');
      expect(reply.read_at).not.toBeNull();
      expect(reply.delivered_at).not.toBeNull();

      await postWebhook(
        t.url,
        envelope(
          {
            statuses: [
              statusUpdate(sent.wamid, 'failed', shop.ownerWaId, {
                code: 131047,
                title:
                  'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
              }),
            ],
          },
          shop.phoneNumberId,
        ),
      );
      [reply] = await repliesTo(wamid);
      expect(reply).toMatchObject({ status: 'failed', error_code: 131047 });
      expect(reply.error_title).toMatch(/24 hours/);
    });

    it('regression: a status whose id is a NUL is dropped with 200, not a 503 (found by fast-check)', async () => {
      const res = await postWebhook(
        t.url,
        envelope({ statuses: [statusUpdate('\u0000', 'delivered', '5215500000000')] }),
      );
      expect(res.status).toBe(200);
    });

    it('answers 200 to statuses of messages it never sent', async () => {
      const res = await postWebhook(
        t.url,
        envelope({ statuses: [statusUpdate(newWamid(), 'delivered', '5215500000000')] }),
      );
      expect(res.status).toBe(200);
    });
  });

  describe('health', () => {
    it('reports database and redis up', async () => {
      const res = await fetch(`${t.url}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' }, redis: { status: 'up' } },
      });
    });
  });
});
