/**
 * The floor for bench:webhook: the least a correct webhook receiver must do, on the same
 * stack, with nothing else. Plain Fastify (the same fastify the app runs on), then:
 *   HMAC-SHA256 over the raw bytes (the product's own isValidSignature) → JSON.parse →
 *   ONE `INSERT INTO inbound_messages … ON CONFLICT (wamid) DO NOTHING` of the columns the
 *   product stores (tenant resolved in the same statement) → ONE BullMQ `add` with
 *   jobId = wamid (the product's job options) on a queue of its own prefix → 200.
 * No Nest, no zod, no logging, no metrics, no second statement. What the product spends above
 * this is what its framework and extra work cost.
 *
 * Run by bench/webhook.bench.ts as a child process:
 *   node -r ts-node/register/transpile-only bench/support/bare-webhook-server.ts
 * Env: PORT, DATABASE_URL, REDIS_URL, QUEUE_PREFIX, WHATSAPP_APP_SECRET, DATABASE_POOL_SIZE.
 */
import { Queue } from 'bullmq';
import Fastify from 'fastify';
import { Pool } from 'pg';
import { redisOptionsFromUrl } from '../../src/common/redis-options';
import { INBOUND_JOB_OPTIONS, INBOUND_QUEUE, jobIdFor } from '../../src/inbox/inbound-queue';
import { isValidSignature } from '../../src/whatsapp/signature';

interface MetaMessage {
  id: string;
  from: string;
  timestamp: string;
  type: string;
  text?: { body?: string };
}

interface MetaValue {
  metadata?: { phone_number_id?: string };
  contacts?: { wa_id?: string; profile?: { name?: string } }[];
  messages?: MetaMessage[];
}

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

async function main(): Promise<void> {
  const secret = env('WHATSAPP_APP_SECRET');
  const pool = new Pool({
    connectionString: env('DATABASE_URL'),
    max: Number(process.env.DATABASE_POOL_SIZE ?? 20),
  });
  const queue = new Queue(INBOUND_QUEUE, {
    connection: redisOptionsFromUrl(env('REDIS_URL')),
    prefix: env('QUEUE_PREFIX'),
  });
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.get('/health', async () => ({ ok: true }));

  app.post('/webhooks/whatsapp', async (req, reply) => {
    const raw = req.body as Buffer;
    const header = req.headers['x-hub-signature-256'];
    if (!isValidSignature(raw, Array.isArray(header) ? header[0] : header, secret)) {
      return reply.code(401).send({ error: 'bad signature' });
    }
    let body: { entry?: { changes?: { value?: MetaValue }[] }[] };
    try {
      body = JSON.parse(raw.toString('utf8')) as typeof body;
    } catch {
      return reply.code(400).send({ error: 'not JSON' });
    }
    const rows: unknown[][] = [];
    for (const entry of body.entry ?? []) {
      for (const change of entry.changes ?? []) {
        const value = change.value ?? {};
        for (const m of value.messages ?? []) {
          const contact = value.contacts?.find((c) => c.wa_id === m.from);
          rows.push([
            m.id,
            value.metadata?.phone_number_id ?? '',
            m.from,
            contact?.profile?.name ?? null,
            m.type,
            m.text?.body ?? null,
            JSON.stringify(m),
            new Date(Number(m.timestamp) * 1000).toISOString(),
          ]);
        }
      }
    }
    // The bench sends exactly one message per POST; anything else is a bench bug, not a floor.
    if (rows.length !== 1) return reply.code(400).send({ error: 'expected one message' });
    const [row] = rows as [unknown[]];
    await pool.query(
      `INSERT INTO inbound_messages
         (wamid, phone_number_id, from_wa_id, contact_name, tenant_id, type, text, payload, sent_at,
          status)
       VALUES ($1, $2, $3, $4, (SELECT tenant_id FROM tenant_users WHERE wa_id = $3), $5, $6,
               $7::jsonb, $8, 'received')
       ON CONFLICT (wamid) DO NOTHING`,
      row,
    );
    const wamid = row[0] as string;
    await queue.add('inbound', { wamid }, { ...INBOUND_JOB_OPTIONS, jobId: jobIdFor(wamid) });
    return reply.code(200).send({ ok: true });
  });

  await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  const stop = () => {
    void app
      .close()
      .then(() => Promise.all([queue.close(), pool.end()]))
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
