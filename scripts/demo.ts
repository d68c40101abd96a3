/**
 * `npm run demo`: the whole product on one machine, with no Meta or OpenRouter account.
 * Creates (once) a local database, migrates it, seeds "Abarrotes Doña Lupita", sells it a
 * package, starts the fake Graph API and fake OpenRouter, starts the service (APP_ROLE=all)
 * and lets you write to the bot as the shop owner. Every message goes through the real path:
 * a signed webhook, the queue, the worker, the tool loop, the ledger and the Graph client.
 * Lines on stdin are messages; with a pipe it answers each line and exits at the end.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { createInterface } from 'node:readline';
import { DataSource } from 'typeorm';
import { seedDemo } from '../database/seeds/demo';
import { createApp } from '../src/app.factory';
import { parseEnv } from '../src/config/env.schema';
import { loadEnvFile } from '../src/config/load-env-file';
import { dataSourceOptions } from '../src/database/data-source-options';
import { startFakeGraphApi } from '../dev/fakes/fake-graph-api';
import { startFakeOpenRouter } from '../dev/fakes/fake-openrouter';
import { envelope, postWebhook, textMessage } from '../dev/support/webhook';

const OWNER = '5215512345678';
const PHONE_NUMBER_ID = '1234567890';

async function main(): Promise<void> {
  loadEnvFile();
  const graph = await startFakeGraphApi({ accessToken: 'demo-access-token' });
  const llm = await startFakeOpenRouter();
  // The demo's own settings: local services, fakes for the outside world, throwaway secrets.
  Object.assign(process.env, {
    DATABASE_URL:
      process.env.DEMO_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/changarrito_demo',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: 'changarrito_demo',
    PORT: process.env.DEMO_PORT ?? '3000',
    APP_ROLE: 'all',
    LOG_LEVEL: process.env.DEMO_LOG_LEVEL ?? 'warn',
    WHATSAPP_VERIFY_TOKEN: 'demo-verify-token',
    WHATSAPP_APP_SECRET: 'demo-app-secret',
    WHATSAPP_ACCESS_TOKEN: 'demo-access-token',
    WHATSAPP_API_BASE_URL: graph.baseUrl,
    OPENROUTER_API_KEY: 'sk-or-demo',
    OPENROUTER_BASE_URL: llm.baseUrl,
    ADMIN_API_TOKEN: 'demo-admin-token-0123456789',
    ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  });
  const url = process.env.DATABASE_URL!;
  await ensureDatabase(url);
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  const shop = await seedDemo(ds, { ownerWaId: OWNER, phoneNumberId: PHONE_NUMBER_ID });
  await ds.destroy();

  const app = await createApp(parseEnv(process.env));
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  const base = `http://127.0.0.1:${process.env.PORT}`;
  // Idempotent on paymentRef: the demo shop is credited once, however often the demo runs.
  await fetch(`${base}/admin/tenants/${shop.tenantId}/purchases`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${process.env.ADMIN_API_TOKEN}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ packageCode: 'pro', paymentRef: 'demo-welcome-package' }),
  });

  const interactive = process.stdin.isTTY;
  console.log(`Changarrito Assistant on ${base} (admin docs: ${base}/docs)`);
  console.log(
    'Escribe como si fueras Doña Lupita, p. ej. "¿cuánto vendí hoy?" (Ctrl-D para salir)',
  );
  const rl = createInterface({ input: process.stdin, terminal: interactive });
  let seq = 0;
  if (interactive) rl.setPrompt('tú> ');
  if (interactive) rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text) {
      if (!interactive) console.log(`tú> ${text}`);
      const before = graph.sent.length;
      await postMessage(base, text, ++seq);
      const reply = await waitFor(() => graph.sent.length > before, 30_000);
      for (const s of graph.sent.slice(before))
        console.log(`bot> ${s.text.replace(/\n/g, '\n     ')}`);
      if (!reply) console.log('bot> (sin respuesta en 30 s)');
    }
    if (interactive) rl.prompt();
  }
  await app.close();
  await graph.close();
  await llm.close();
}

async function ensureDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = new Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    const found = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
}

async function postMessage(base: string, text: string, seq: number): Promise<void> {
  const wamid = `wamid.DEMO${Date.now().toString(36)}${seq}`;
  const body = envelope({ messages: [textMessage({ from: OWNER, text, wamid })] }, PHONE_NUMBER_ID);
  const res = await postWebhook(base, body, { secret: process.env.WHATSAPP_APP_SECRET });
  if (res.status !== 200) console.log(`(webhook answered ${res.status})`);
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) {
      // Give a notice that follows the reply (e.g. low balance) a moment to arrive.
      await new Promise((r) => setTimeout(r, 300));
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
