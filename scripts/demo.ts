/**
 * `npm run demo`: the whole product on one machine, with no Meta app, no OpenRouter key and no
 * database installed. It finds (or starts) PostgreSQL and Redis, migrates, seeds "Abarrotes
 * Doña Lupita" (idempotent), sells it a welcome package once, starts the fake Graph API (and
 * the fake OpenRouter when OPENROUTER_API_KEY is unset), the app (api + worker) and the
 * WhatsApp simulator, and prints one URL. Every message takes the real path: a signed
 * webhook, the inbox, the queue, the worker, the tool loop, the ledger and the Graph client.
 *
 *   npm run demo                     the simulator in the browser
 *   npm run demo -- --terminal       chat in the terminal instead (lines on stdin are messages)
 *   npm run demo -- --no-local       skip 127.0.0.1:5432/6379 (embedded PostgreSQL, own Redis)
 *   npm run demo -- --port 3000 --data-dir .demo
 *
 * Ctrl-C stops everything it started (app, fakes, redis-server, embedded PostgreSQL) and
 * exits 0. A SIGKILLed demo leaves nothing either: each service has a watchdog (services.ts),
 * and the next start stops what a demo killed together with its watchdogs left behind.
 */
import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  DEMO_EMPLOYEE_WA_ID,
  DEMO_OWNER_WA_ID,
  DEMO_PHONE_NUMBER_ID,
  DEMO_SHOP_NAME,
  seedDemo,
} from '../database/seeds/demo';
import { startFakeGraphApi, type FakeGraphApi } from '../dev/fakes/fake-graph-api';
import { startFakeOpenRouter, type FakeOpenRouter } from '../dev/fakes/fake-openrouter';
import { fakesBackend } from '../dev/simulator/fakes-backend';
import { envelope, postWebhook, textMessage } from '../dev/support/webhook';
import { createApp } from '../src/app.factory';
import { ConfigError, parseEnv } from '../src/config/env.schema';
import { loadEnvFile } from '../src/config/load-env-file';
import { dataSourceOptions } from '../src/database/data-source-options';
import { type DemoPostgres, resolvePostgres } from './demo/postgres';
import { type DemoRedis, resolveRedis } from './demo/redis';
import { DemoSetupError, freePort, killOwnedNow } from './demo/services';

const DISPLAY_NUMBER = '+52 55 1234 5678';
const DEMO_ADMIN_TOKEN = 'demo-admin-token-0123456789';

interface Args {
  terminal: boolean;
  local: boolean;
  port: number;
  dataDir: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    terminal: false,
    local: true,
    port: Number(process.env.DEMO_PORT ?? 3000),
    dataDir: join(__dirname, '..', '.demo', 'postgres'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--terminal') args.terminal = true;
    else if (a === '--no-local') args.local = false;
    else if (a === '--port') args.port = Number(argv[++i]);
    else if (a === '--data-dir') args.dataDir = join(argv[++i], 'postgres');
    else throw new DemoSetupError(`Unknown option ${a} (see the top of scripts/demo.ts)`);
  }
  return args;
}

const stopping: (() => Promise<void>)[] = [];

async function main(): Promise<void> {
  loadEnvFile();
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string) => console.log(line);

  const pg: DemoPostgres = await resolvePostgres({
    databaseUrl: process.env.DATABASE_URL || undefined,
    tryLocalDefault: args.local,
    dataDir: args.dataDir,
    log,
  });
  stopping.unshift(() => pg.stop());
  const redis: DemoRedis = await resolveRedis({
    redisUrl: process.env.REDIS_URL || undefined,
    tryLocalDefault: args.local,
    log,
    runDir: join(args.dataDir, '..'),
  });
  stopping.unshift(() => redis.stop());

  const ds = new DataSource(dataSourceOptions(pg.url));
  await ds.initialize();
  let shop;
  try {
    await ds.runMigrations({ transaction: 'each' });
    shop = await seedDemo(ds, {
      ownerWaId: DEMO_OWNER_WA_ID,
      phoneNumberId: DEMO_PHONE_NUMBER_ID,
      employeeWaId: DEMO_EMPLOYEE_WA_ID,
    });
  } finally {
    await ds.destroy();
  }

  const graph: FakeGraphApi = await startFakeGraphApi({ accessToken: 'demo-access-token' });
  stopping.unshift(() => graph.close());
  const realKey = process.env.OPENROUTER_API_KEY?.trim() || null;
  const llm: FakeOpenRouter | null = realKey ? null : await startFakeOpenRouter();
  if (llm) stopping.unshift(() => llm.close());

  const port = await freePort(args.port);
  const config = parseEnv({
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: 'changarrito_demo',
    PORT: String(port),
    APP_ROLE: 'all',
    DEMO_MODE: 'true',
    LOG_LEVEL: process.env.DEMO_LOG_LEVEL ?? 'warn',
    WHATSAPP_VERIFY_TOKEN: 'demo-verify-token',
    WHATSAPP_APP_SECRET: 'demo-app-secret',
    WHATSAPP_ACCESS_TOKEN: 'demo-access-token',
    WHATSAPP_API_BASE_URL: graph.baseUrl,
    WHATSAPP_MEDIA_HOSTS: graph.baseUrl,
    ADMIN_API_TOKEN: process.env.ADMIN_API_TOKEN || DEMO_ADMIN_TOKEN,
    ENCRYPTION_KEY: process.env.ENCRYPTION_KEY || Buffer.alloc(32, 1).toString('base64'),
    ...(llm
      ? {
          OPENROUTER_API_KEY: 'sk-or-demo-offline',
          OPENROUTER_BASE_URL: llm.baseUrl,
          // The failure buttons should show each level in seconds, not in half a minute.
          LLM_TIMEOUT_MS: '3000',
          LLM_DEADLINE_MS: '8000',
          LLM_BACKOFF_BASE_MS: '100',
          LLM_BACKOFF_MAX_MS: '300',
          TRANSCRIPTION_BASE_URL: '',
        }
      : { OPENROUTER_API_KEY: realKey ?? undefined }),
  });
  const backend = fakesBackend({
    shop: {
      tenantId: shop.tenantId,
      name: DEMO_SHOP_NAME,
      phoneNumberId: DEMO_PHONE_NUMBER_ID,
      displayPhoneNumber: DISPLAY_NUMBER,
      people: [
        { waId: DEMO_OWNER_WA_ID, name: 'Lupita', role: 'owner' },
        { waId: DEMO_EMPLOYEE_WA_ID, name: 'Beto', role: 'employee' },
      ],
    },
    graph,
    llm,
    defaultModel: config.LLM_MODEL_DEFAULT,
  });
  const app: NestFastifyApplication = await createApp(config, {
    demo: backend,
    // The demo owns SIGINT/SIGTERM: app first, then the fakes, Redis and PostgreSQL; exit 0.
    shutdownHooks: false,
  });
  await app.listen({ port, host: '127.0.0.1' });
  stopping.unshift(() => app.close());
  const base = `http://127.0.0.1:${port}`;

  // Idempotent on paymentRef: the demo shop is credited once, however often the demo runs.
  const sold = await fetch(`${base}/admin/tenants/${shop.tenantId}/purchases`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${config.ADMIN_API_TOKEN}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ packageCode: 'pro', paymentRef: 'demo-welcome-package' }),
  });
  if (!sold.ok) log(`(the welcome package was not credited: ${sold.status} ${await sold.text()})`);

  log(`PostgreSQL: ${pg.describe}`);
  log(`Redis:      ${redis.describe}`);
  log(
    llm
      ? 'LLM:        offline: a local fake model that calls the real tools (set OPENROUTER_API_KEY for OpenRouter)'
      : `LLM:        OpenRouter (${config.LLM_MODEL_DEFAULT}, fallbacks ${config.LLM_MODEL_FALLBACK.join(', ')})`,
  );
  if (args.terminal) {
    await terminalChat(base, graph, config.WHATSAPP_APP_SECRET);
    await shutdown(0);
    return;
  }
  log('');
  log(`  Open ${base}/simulator/`);
  log('');
  log(`(admin console at /console, token ${config.ADMIN_API_TOKEN}; Ctrl-C stops everything)`);
}

/** The terminal chat: lines on stdin are the owner's messages; with a pipe it ends at EOF. */
async function terminalChat(base: string, graph: FakeGraphApi, secret: string): Promise<void> {
  const interactive = process.stdin.isTTY;
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
      const wamid = `wamid.DEMO${Date.now().toString(36)}${++seq}`;
      const body = envelope(
        { messages: [textMessage({ from: DEMO_OWNER_WA_ID, text, wamid })] },
        DEMO_PHONE_NUMBER_ID,
      );
      const res = await postWebhook(base, body, { secret });
      if (res.status !== 200) console.log(`(webhook answered ${res.status})`);
      const reply = await waitFor(() => graph.sent.length > before, 30_000);
      for (const s of graph.sent.slice(before))
        console.log(`bot> ${s.text.replace(/\n/g, '\n     ')}`);
      if (!reply) console.log('bot> (sin respuesta en 30 s)');
    }
    if (interactive) rl.prompt();
  }
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

let shuttingDown = false;
async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  // Newest first: the app before the fakes, Redis and the database it uses.
  for (const stop of stopping) {
    try {
      await stop();
    } catch (err) {
      console.error(`(while stopping: ${err instanceof Error ? err.message : String(err)})`);
    }
  }
  stopping.length = 0;
  process.exit(code);
}

/**
 * One Ctrl-C can arrive twice: from the terminal (the whole foreground group gets it) and
 * forwarded by npm, whose shell execs the demo where /bin/sh is bash. Within this window a
 * repeat is that same Ctrl-C; only a later one means "stop now, don't wait".
 */
const SAME_CTRL_C_MS = 1_000;
let stopSignalAt = 0;
process.on('SIGINT', () => {
  if (shuttingDown) {
    if (Date.now() - stopSignalAt < SAME_CTRL_C_MS) return;
    console.log('Stopping now: everything the demo started is killed.');
    killOwnedNow();
    process.exit(130);
  }
  stopSignalAt = Date.now();
  console.log('\nStopping…');
  void shutdown(0);
});
process.on('SIGTERM', () => {
  stopSignalAt ||= Date.now();
  void shutdown(0);
});
process.on('exit', killOwnedNow);

main().catch((err: unknown) => {
  if (err instanceof DemoSetupError || err instanceof ConfigError) console.error(err.message);
  else
    console.error(`The demo could not start: ${err instanceof Error ? err.message : String(err)}`);
  void shutdown(1);
});
