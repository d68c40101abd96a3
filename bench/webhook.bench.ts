/**
 * Webhook throughput/latency benchmark: `npm run bench:webhook`.
 *
 * The product against its floor, in the same run, on the same machine:
 *   product  the production build (`npm run build`, then `node dist/src/main.js`, APP_ROLE=api)
 *   bare     bench/support/bare-webhook-server.ts: plain Fastify + HMAC over the raw bytes +
 *            JSON.parse + ONE INSERT … ON CONFLICT + ONE BullMQ add (jobId = wamid) → 200
 * Both are child processes with databases of their own (migrated from scratch, the same
 * registered owners) and Redis prefixes of their own. autocannon drives them from a worker
 * thread of this process with the same request generator (bench/support/webhook-request.js:
 * a realistic one-message Meta payload, fresh wamid per request, signed over its exact bytes).
 *
 * Rounds alternate product/bare/product/bare… at each connection count, so drift of the shared
 * machine hits both alike; the ratio product/bare is taken per connection count from the
 * median rounds. Then, on the product only: a duplicate-wamid run (Meta redelivering) and a
 * bad-signature run (rejected by the guard, no DB/Redis work).
 *
 * Afterwards it checks, for both servers, that every accepted request left exactly one row and
 * one BullMQ job with the same id.
 *
 * Finally it explains a round: a fresh product process (and a fresh bare one) with the
 * bench-only probe (bench/support/ingest-probe.js) runs one more round while the V8 CPU
 * profiler samples it, and counts PostgreSQL queries and Redis round trips per request
 * (cross-checked with pg_stat_database commits). Profiles go to bench/results/profiles/.
 *
 * Writes bench/results/webhook.json. Knobs (env):
 *   BENCH_CONNECTIONS=10,50  BENCH_ROUND_SEC=10  BENCH_ROUNDS=3 (per server and connection count)
 *   BENCH_WARMUP_SEC=3  BENCH_EXTRA_SEC=5  BENCH_PROFILE_SEC=10 (0 = no profile)
 *   BENCH_LOG_LEVEL=warn  BENCH_REDIS_URL=redis://127.0.0.1:6379  BENCH_SKIP_BUILD=1
 *   TEST_ADMIN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres   BENCH_QUICK=1
 *   BENCH_APP_ROOT=/path/to/another/checkout (+ BENCH_APP_COMMIT): measure that build instead
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import { redisOptionsFromUrl } from '../src/common/redis-options';
import { INBOUND_QUEUE, jobIdFor } from '../src/inbox/inbound-queue';
import { createMigratedDatabase, dropDatabase } from '../dev/support/database';
import { freePort } from '../dev/support/redis-server';
import { deleteKeys } from '../dev/support/redis-keys';
import { envelope, newPhoneNumberId, newWaId, textMessage } from '../dev/support/webhook';
import { normalizeWaId } from '../src/tenants/phone-number';
import { benchPool } from './support/pg';
import { summarizeCpuProfile, type ProfileSummary } from './support/cpu-profile';
import {
  appCommit,
  APP_ROOT,
  type Child,
  ensureBuild,
  PROBE_PRELOAD,
  processCpuMs,
  spawnNode,
  startCompiledApp,
  waitForHealth,
} from './support/processes';
import { type Headline, QUICK, RESULTS_DIR, startRun, writeResult } from './support/run-info';
import { fmt, intListEnv, median, numberEnv, round, sleep, table } from './support/stats';

type Mode = 'unique' | 'duplicate' | 'bad-signature';
type ServerName = 'product' | 'bare';

interface Server {
  name: ServerName;
  child: Child & { url: string };
  url: string;
  db: Pool;
  dbName: string;
  queuePrefix: string;
}

interface RoundResult {
  server: ServerName;
  scenario: string;
  mode: Mode;
  connections: number;
  round: number;
  durationSec: number;
  expectedStatus: number;
  requestsPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  sent: number;
  completed: number;
  count2xx: number;
  non2xx: number;
  unexpectedStatus: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** On-CPU time of the server process (all threads) per completed request. */
  serverCpuMsPerRequest: number | null;
  /** Counted in the consistency check, left out of the tables. */
  warmup: boolean;
}

const WEBHOOK_PATH = '/webhooks/whatsapp';
/** Generated per run: the compiled app runs with NODE_ENV=production, which refuses example secrets. */
const APP_SECRET = randomBytes(24).toString('hex');
const REQUEST_BUILDER = join(__dirname, 'support', 'webhook-request.js');
const SENDERS = 8;
const TEXTS = [
  'Vendí 3 cocas de 600 a 18 pesos',
  '¿Cuánto vendí hoy?',
  'Agrega 2 kilos de tortilla',
  'cuantas sabritas me quedan',
  'Hola, buenos días 👋',
  'Me llegaron 24 aguas Ciel de litro a 9.50 c/u',
  '¿Qué fue lo que más se vendió esta semana?',
  'quita 1 jabón zote, se rompió',
];

const CONNECTIONS = intListEnv('BENCH_CONNECTIONS', [10, 50]);
const ROUND_SEC = numberEnv('BENCH_ROUND_SEC', QUICK ? 2 : 10);
const ROUNDS = numberEnv('BENCH_ROUNDS', QUICK ? 1 : 3);
const WARMUP_SEC = numberEnv('BENCH_WARMUP_SEC', QUICK ? 1 : 3);
const EXTRA_SEC = numberEnv('BENCH_EXTRA_SEC', QUICK ? 1 : 5);
const PROFILE_SEC = numberEnv('BENCH_PROFILE_SEC', QUICK ? 2 : 10);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
/** [11]'s ingest targets, read against the bare floor measured in the same run. */
const RATIO_TARGET = 0.8;
const P99_TARGET_MS_AT_50 = 50;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const prefixBase = `bench_wh_${runId}`;
let wamidSeq = 0;

async function main(): Promise<void> {
  const info = startRun('webhook');
  ensureBuild();
  const redis = new Redis({ ...redisOptionsFromUrl(REDIS_URL), maxRetriesPerRequest: 1 });
  const servers: Server[] = [];
  const dbNames: string[] = [];
  const extraChildren: Child[] = [];
  let failed: boolean;
  try {
    const senders = Array.from({ length: SENDERS }, () => newWaId());
    for (const name of ['product', 'bare'] as const) {
      const dbName = `changarrito_bench_${runId}_${name}`;
      console.log(`Creating database ${dbName} and running migrations…`);
      const url = await createMigratedDatabase(dbName);
      dbNames.push(dbName);
      const db = benchPool(url);
      for (const [i, waId] of senders.entries())
        await createOwner(db, `Abarrotes Bench ${i + 1}`, waId);
      const queuePrefix = `${prefixBase}_${name[0]}`;
      const child =
        name === 'product'
          ? await startCompiledApp({
              name: 'product-api',
              role: 'api',
              env: productEnv(url, queuePrefix),
            })
          : await startBare(url, queuePrefix);
      servers.push({ name, child, url: serverUrl(child), db, dbName, queuePrefix });
    }
    const [product, bare] = servers as [Server, Server];
    console.log(
      `product ${product.url} (dist/, APP_ROLE=api, pid ${product.child.pid}); bare ${bare.url} (pid ${bare.child.pid})`,
    );
    const probe = await probeBackends(product.db, redis);
    console.log(
      `Idle round trips (p50/p99 ms): PostgreSQL SELECT 1 ${probe.pgSelect.p50}/${probe.pgSelect.p99},` +
        ` committed INSERT ${probe.pgCommit.p50}/${probe.pgCommit.p99}, Redis PING ${probe.redisPing.p50}/${probe.redisPing.p99}`,
    );

    const template = JSON.stringify(
      envelope({
        messages: [textMessage({ from: '__FROM__', text: '__TEXT__', wamid: '__WAMID__' })],
      }),
    );
    const duplicateWamid = `wamid.HBgNBENCH${runId}DUP`;
    const params = (server: Server, mode: Mode): BenchRequestParams => ({
      template,
      mode,
      wamidPrefix: `wamid.HBgNBENCH${runId}${server.name[0]}${++wamidSeq}_`,
      duplicateWamid,
      senders,
      texts: TEXTS,
      secret: APP_SECRET,
      badSecret: `${APP_SECRET}-wrong`,
    });
    const run = async (
      server: Server,
      scenario: string,
      mode: Mode,
      connections: number,
      duration: number,
      roundNo: number,
      warmup = false,
    ): Promise<RoundResult> => {
      process.stdout.write(
        `${warmup ? 'warm-up ' : ''}${server.name.padEnd(7)} ${scenario} × ${connections} conns, ${duration} s… `,
      );
      const r = await runRound(server, params(server, mode), {
        scenario,
        mode,
        connections,
        duration,
        roundNo,
        warmup,
        expectedStatus: mode === 'bad-signature' ? 401 : 200,
      });
      console.log(
        `${fmt(r.requestsPerSec, 0)} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms` +
          `${r.unexpectedStatus || r.errors ? `, ${r.unexpectedStatus} unexpected status, ${r.errors} errors` : ''}`,
      );
      await sleep(300); // requests cut off at the end of the run finish server-side
      return r;
    };

    const results: RoundResult[] = [];
    for (const s of servers)
      results.push(await run(s, 'unique wamid', 'unique', CONNECTIONS[0]!, WARMUP_SEC, 0, true));
    for (const c of CONNECTIONS) {
      for (let i = 1; i <= ROUNDS; i++) {
        for (const s of servers)
          results.push(await run(s, 'unique wamid', 'unique', c, ROUND_SEC, i));
      }
    }
    await seedDuplicate(product.url, template, duplicateWamid, senders[0]!);
    const extras = [
      await run(product, 'duplicate wamid', 'duplicate', CONNECTIONS[0]!, EXTRA_SEC, 1),
      await run(product, 'bad signature', 'bad-signature', CONNECTIONS[0]!, EXTRA_SEC, 1),
    ];
    results.push(...extras);

    // Explaining a round (separate, probed processes; the measured ones are stopped first).
    let explain: Record<ServerName, Explanation> | undefined;
    if (PROFILE_SEC > 0) {
      for (const s of servers) await s.child.stop();
      explain = {} as Record<ServerName, Explanation>;
      for (const s of servers) {
        // Backends keep statistics pending until they idle 10 s or exit: end our own pool so
        // pg_stat_database's commit count only moves for the probed server from here on.
        await s.db.end();
        s.db = benchPool(urlOf(s.dbName));
        await sleep(500);
        const commits0 = await commitsOf(s.dbName);
        const probed =
          s.name === 'product'
            ? await startCompiledApp({
                name: 'product-api-probed',
                role: 'api',
                env: productEnv(urlOf(s.dbName), s.queuePrefix),
                probe: true,
              })
            : await startBare(urlOf(s.dbName), s.queuePrefix, true);
        extraChildren.push(probed);
        const probedServer: Server = { ...s, child: probed, url: serverUrl(probed) };
        const warm = await run(
          probedServer,
          'unique wamid',
          'unique',
          CONNECTIONS[0]!,
          WARMUP_SEC,
          0,
          true,
        );
        results.push(warm);
        // Stops the probed process when done (its exit flushes PostgreSQL's statistics).
        explain[s.name] = await explainRound(
          probedServer,
          params(probedServer, 'unique'),
          results,
          { commits0, warmupRequests: warm.completed },
        );
      }
    }

    const consistency = {
      product: await checkConsistency(product, results, true),
      bare: await checkConsistency(bare, results, false),
    };

    const measured = results.filter((r) => !r.warmup);
    printRounds(measured);
    const comparison = compare(measured);
    printComparison(comparison);
    if (explain) printExplanation(explain);
    for (const [name, c] of Object.entries(consistency)) printConsistency(name, c);
    failed = !consistency.product.ok || !consistency.bare.ok;

    const headlines: Headline[] = [];
    for (const c of comparison) {
      // [11]'s targets: ≥ 0.8 of the bare floor at each connection count, p99 < 50 ms at 50
      // connections, no errors (socket errors or another status than 200).
      const p99Target = c.connections >= 50 ? P99_TARGET_MS_AT_50 : null;
      headlines.push({
        figure: `webhook req/s @${c.connections} conns, product (p99 ${c.product.p99} ms, errors ${c.product.errors})`,
        value: c.product.requestsPerSec,
        unit: 'req/s',
        target: p99Target === null ? 'no errors' : `p99 < ${p99Target} ms, no errors`,
        baseline: `bare floor ${fmt(c.bare.requestsPerSec, 0)} req/s (p99 ${c.bare.p99} ms)`,
        pass: c.product.errors === 0 && (p99Target === null || c.product.p99 < p99Target),
      });
      headlines.push({
        figure: `webhook product/bare ratio @${c.connections} conns`,
        value: c.ratio,
        unit: '×',
        target: `≥ ${RATIO_TARGET}`,
        baseline: `per-round pairs ${c.pairRatios.map((x) => fmt(x, 2)).join(', ')}`,
        pass: c.ratio >= RATIO_TARGET,
      });
    }
    if (explain) {
      const p = explain.product;
      headlines.push({
        figure: 'webhook round trips per request, product (pg + redis)',
        value: round(p.perRequest.pgQueries + p.perRequest.redisRoundTrips, 2),
        unit: 'round trips',
        target: null,
        baseline: `bare ${fmt(explain.bare.perRequest.pgQueries + explain.bare.perRequest.redisRoundTrips, 2)}`,
        pass: null,
      });
    }
    headlines.push({
      figure: 'webhook consistency (one row + one job per accepted request)',
      value: null,
      unit: '',
      target: 'all checks pass',
      baseline: null,
      pass: !failed,
    });

    writeResult('webhook', info, headlines, {
      // The benchmark's own code is \`commit\`; the app it measured may be another build.
      appUnderTest: { root: APP_ROOT, commit: appCommit() },
      config: {
        connections: CONNECTIONS,
        roundSec: ROUND_SEC,
        roundsPerServer: ROUNDS,
        warmupSec: WARMUP_SEC,
        extraSec: EXTRA_SEC,
        profileSec: PROFILE_SEC,
        logLevel: LOG_LEVEL,
        product: 'node dist/src/main.js, APP_ROLE=api, NODE_ENV=production',
        bare: 'bench/support/bare-webhook-server.ts (Fastify + HMAC + JSON.parse + 1 INSERT + 1 add)',
        client: 'autocannon in a worker thread of the bench process',
        payload:
          'one text message per request (Meta envelope), fresh wamid per request, 8 registered owners',
      },
      comparison,
      rounds: measured,
      warmups: results.filter((r) => r.warmup),
      backendProbe: probe,
      explain,
      consistency,
    });
  } catch (err) {
    failed = true;
    console.error(`\nBenchmark failed: ${(err as Error).stack ?? String(err)}`);
    for (const s of [...servers.map((x) => x.child), ...extraChildren]) {
      console.error(`--- ${s.name} log (${s.logFile}) ---\n${s.tail(15)}`);
    }
  } finally {
    for (const c of [...servers.map((s) => s.child), ...extraChildren])
      await c.stop().catch(() => undefined);
    for (const s of servers) await s.db.end().catch(() => undefined);
    for (const name of dbNames) {
      await dropDatabase(name).catch((err: unknown) =>
        console.error(`dropping ${name}: ${String(err)}`),
      );
    }
    const deleted = await deleteKeys(redis, `${prefixBase}*`).catch(() => 0);
    redis.disconnect();
    console.log(
      `Cleaned up: servers stopped, ${dbNames.length} database(s) dropped, ${deleted} Redis key(s) deleted.`,
    );
  }
  if (failed) process.exitCode = 1;
}

// --- servers --------------------------------------------------------------------------------

function urlOf(dbName: string): string {
  const u = new URL(
    process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  );
  u.pathname = `/${dbName}`;
  return u.toString();
}

function productEnv(databaseUrl: string, queuePrefix: string): Record<string, string> {
  return {
    LOG_LEVEL,
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    RELAY_INTERVAL_MS: '5000',
    WHATSAPP_VERIFY_TOKEN: 'bench-verify-token',
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_ACCESS_TOKEN: 'bench-access-token',
    WHATSAPP_API_BASE_URL: 'http://127.0.0.1:9',
    OPENROUTER_API_KEY: 'sk-or-bench-key',
    OPENROUTER_BASE_URL: 'http://127.0.0.1:9/api/v1',
    ADMIN_API_TOKEN: randomBytes(24).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
}

type Served = Child & { url: string };

function serverUrl(child: Served): string {
  return child.url;
}

async function startBare(databaseUrl: string, queuePrefix: string, probe = false): Promise<Served> {
  const port = await freePort();
  const child = spawnNode({
    name: probe ? 'bare-probed' : 'bare',
    args: [
      '--require',
      'ts-node/register/transpile-only',
      ...(probe ? ['--require', PROBE_PRELOAD] : []),
      join(__dirname, 'support', 'bare-webhook-server.ts'),
    ],
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: queuePrefix,
      WHATSAPP_APP_SECRET: APP_SECRET,
      DATABASE_POOL_SIZE: '20',
    },
    ipc: probe,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(child, url);
  return { ...child, url };
}

async function createOwner(db: Pool, name: string, waId: string): Promise<void> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO tenants (name) VALUES ($1) RETURNING id`,
    [name],
  );
  // Stored as E.164 (the shop's registration); Meta sends the 521… form in `from`.
  await db.query(`INSERT INTO tenant_users (tenant_id, wa_id, role) VALUES ($1, $2, 'owner')`, [
    rows[0]!.id,
    normalizeWaId(waId),
  ]);
  await db.query(`INSERT INTO whatsapp_channels (tenant_id, phone_number_id) VALUES ($1, $2)`, [
    rows[0]!.id,
    newPhoneNumberId(),
  ]);
}

// --- one round ------------------------------------------------------------------------------

interface BenchRequestParams {
  template: string;
  mode: Mode;
  wamidPrefix: string;
  duplicateWamid: string;
  senders: string[];
  texts: string[];
  secret: string;
  badSecret: string;
}

async function runRound(
  server: Server,
  bench: BenchRequestParams,
  s: {
    scenario: string;
    mode: Mode;
    connections: number;
    duration: number;
    roundNo: number;
    warmup: boolean;
    expectedStatus: number;
  },
): Promise<RoundResult> {
  const request: autocannon.Request & { bench: BenchRequestParams } = {
    method: 'POST',
    path: WEBHOOK_PATH,
    setupRequest: REQUEST_BUILDER,
    bench,
  };
  const cpu0 = processCpuMs(server.child.pid);
  const r = await autocannon({
    url: `${server.url}${WEBHOOK_PATH}`,
    method: 'POST',
    connections: s.connections,
    duration: s.duration,
    timeout: 10,
    requests: [request],
    workers: 1,
  });
  const cpu1 = processCpuMs(server.child.pid);
  const statusCodes: Record<string, number> = {};
  for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = v.count ?? 0;
  const completed = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    server: server.name,
    scenario: s.scenario,
    mode: s.mode,
    connections: s.connections,
    round: s.roundNo,
    durationSec: s.duration,
    expectedStatus: s.expectedStatus,
    requestsPerSec: r.requests.average,
    latencyMs: {
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
      mean: r.latency.mean,
    },
    sent: r.requests.sent,
    completed,
    count2xx: r['2xx'],
    non2xx: r.non2xx,
    unexpectedStatus: completed - (statusCodes[String(s.expectedStatus)] ?? 0),
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    serverCpuMsPerRequest:
      completed && cpu0 !== null && cpu1 !== null ? round((cpu1 - cpu0) / completed, 3) : null,
    warmup: s.warmup,
  };
}

/** Stores the wamid the duplicate scenario keeps redelivering. */
async function seedDuplicate(
  url: string,
  template: string,
  wamid: string,
  from: string,
): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const build = require(REQUEST_BUILDER) as (req: Record<string, unknown>) => {
    body: string;
    headers: Record<string, string>;
  };
  const req = build({
    headers: {},
    bench: {
      template,
      mode: 'duplicate',
      duplicateWamid: wamid,
      senders: [from],
      texts: TEXTS,
      secret: APP_SECRET,
    },
  });
  const res = await fetch(`${url}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: req.headers,
    body: req.body,
  });
  if (res.status !== 200) throw new Error(`seeding the duplicate wamid answered ${res.status}`);
}

// --- comparison -----------------------------------------------------------------------------

interface Comparison {
  connections: number;
  product: { requestsPerSec: number; p50: number; p99: number; rounds: number; errors: number };
  bare: { requestsPerSec: number; p50: number; p99: number; rounds: number; errors: number };
  /** median product req/s ÷ median bare req/s */
  ratio: number;
  /** product ÷ bare of each alternating pair, in order */
  pairRatios: number[];
}

function compare(rounds: RoundResult[]): Comparison[] {
  return CONNECTIONS.map((c) => {
    const of = (name: ServerName) =>
      rounds.filter((r) => r.server === name && r.mode === 'unique' && r.connections === c);
    const agg = (rs: RoundResult[]) => ({
      requestsPerSec: round(median(rs.map((r) => r.requestsPerSec)), 0),
      p50: round(median(rs.map((r) => r.latencyMs.p50)), 1),
      p99: round(median(rs.map((r) => r.latencyMs.p99)), 1),
      rounds: rs.length,
      errors: rs.reduce((a, r) => a + r.errors + r.unexpectedStatus, 0),
    });
    const p = of('product');
    const b = of('bare');
    const product = agg(p);
    const bare = agg(b);
    return {
      connections: c,
      product,
      bare,
      ratio: round(product.requestsPerSec / bare.requestsPerSec, 3),
      pairRatios: p.map((r, i) => round(r.requestsPerSec / (b[i]?.requestsPerSec ?? NaN), 3)),
    };
  });
}

// --- explaining a round: profile + round trips ------------------------------------------------

interface ProbeCounters {
  pgQueries: number;
  pgByStatement: Record<string, number>;
  redisCommands: number;
  redisRoundTrips: number;
  redisByCommand: Record<string, number>;
  eventLoopUtilization: number;
}

interface Explanation {
  requests: number;
  requestsPerSec: number;
  perRequest: {
    pgQueries: number;
    pgCommits: number;
    redisRoundTrips: number;
    redisCommands: number;
    pgByStatement: Record<string, number>;
    redisByCommand: Record<string, number>;
  };
  eventLoopUtilization: number;
  profile: ProfileSummary;
}

async function explainRound(
  server: Server,
  bench: BenchRequestParams,
  results: RoundResult[],
  before: { commits0: number; warmupRequests: number },
): Promise<Explanation> {
  const profileDir = join(RESULTS_DIR, 'profiles');
  mkdirSync(profileDir, { recursive: true });
  writeFileSync(join(profileDir, '.gitignore'), '*\n');
  const file = join(profileDir, `webhook-${server.name}-${runId}.cpuprofile`);
  await server.child.request({ cmd: 'reset' });
  await server.child.request({ cmd: 'profile-start', intervalUs: 1000 });
  process.stdout.write(
    `profiled ${server.name} round × ${CONNECTIONS[0]} conns, ${PROFILE_SEC} s… `,
  );
  const t0 = performance.now();
  const r = await runRound(server, bench, {
    scenario: 'unique wamid (profiled)',
    mode: 'unique',
    connections: CONNECTIONS[0]!,
    duration: PROFILE_SEC,
    roundNo: 0,
    warmup: true,
    expectedStatus: 200,
  });
  await sleep(300); // let the fire-and-forget UPDATEs of the last requests land
  await server.child.request({ cmd: 'profile-stop', file });
  const counters = await server.child.request<ProbeCounters>({ cmd: 'counters' });
  // Idle backends hold their statistics for up to 10 s; exiting flushes them.
  await server.child.stop();
  await sleep(500);
  const commits1 = await commitsOf(server.dbName);
  console.log(`${fmt(r.requestsPerSec, 0)} req/s (${round((performance.now() - t0) / 1000, 1)} s)`);
  results.push(r);
  const n = Math.max(1, r.completed);
  const per = (x: number) => round(x / n, 2);
  const perMap = (m: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(m)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, per(v)]),
    );
  return {
    requests: r.completed,
    requestsPerSec: round(r.requestsPerSec, 0),
    perRequest: {
      pgQueries: per(counters.pgQueries),
      // Over the probed process's whole life (boot, health checks, warm-up and the round).
      pgCommits: round(
        (commits1 - before.commits0) / Math.max(1, before.warmupRequests + r.completed),
        2,
      ),
      redisRoundTrips: per(counters.redisRoundTrips),
      redisCommands: per(counters.redisCommands),
      pgByStatement: perMap(counters.pgByStatement),
      redisByCommand: perMap(counters.redisByCommand),
    },
    eventLoopUtilization: round(counters.eventLoopUtilization, 3),
    profile: summarizeCpuProfile(file, 25),
  };
}

/** Committed transactions of a database so far, read over a connection of its own. */
async function commitsOf(dbName: string): Promise<number> {
  const client = new Client({ connectionString: urlOf(dbName) });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = $1`,
      [dbName],
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

// --- consistency ----------------------------------------------------------------------------

interface Consistency {
  ok: boolean;
  acceptedUnique: number;
  cutOffInFlight: number;
  rows: number;
  rowsByStatus: Record<string, number>;
  jobs: number;
  checks: { name: string; ok: boolean; detail: string }[];
}

async function checkConsistency(
  server: Server,
  results: RoundResult[],
  isProduct: boolean,
): Promise<Consistency> {
  // The product marks rows 'queued' after answering: wait until the last ones have landed.
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const { rows } = await server.db.query<{ n: number; r: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'received')::int AS r FROM inbound_messages`,
    );
    if (rows[0]!.n === last && (!isProduct || rows[0]!.r === 0)) break;
    last = rows[0]!.n;
    await sleep(100);
  }
  const mine = results.filter((r) => r.server === server.name);
  const unique = mine.filter((r) => r.mode === 'unique');
  const acceptedUnique = unique.reduce((a, r) => a + r.count2xx, 0) + (isProduct ? 1 : 0);
  const cutOffInFlight = unique.reduce((a, r) => a + Math.max(0, r.sent - r.completed), 0);
  const statusRows = (
    await server.db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM inbound_messages GROUP BY status`,
    )
  ).rows;
  const rowsByStatus = Object.fromEntries(statusRows.map((r) => [r.status, r.n]));
  const wamids = (
    await server.db.query<{ wamid: string }>(`SELECT wamid FROM inbound_messages`)
  ).rows.map((r) => jobIdFor(r.wamid));
  const queue = new Queue(INBOUND_QUEUE, {
    connection: redisOptionsFromUrl(REDIS_URL),
    prefix: server.queuePrefix,
  });
  let jobIds: string[];
  try {
    jobIds = await queue.getRanges(
      ['wait', 'delayed', 'prioritized', 'waiting-children', 'active', 'completed', 'failed'],
      0,
      -1,
    );
  } finally {
    await queue.close();
  }
  const jobSet = new Set(jobIds);
  const rowSet = new Set(wamids);
  const rowsWithoutJob = wamids.filter((w) => !jobSet.has(w)).length;
  const jobsWithoutRow = jobIds.filter((j) => !rowSet.has(j)).length;
  const repeated = jobIds.length - jobSet.size;
  const unexpected = mine.filter((r) => r.unexpectedStatus > 0 || r.errors > 0);
  const expectedStatus = isProduct ? 'queued' : 'received';
  const checks = [
    {
      name: 'every response had the expected status, no socket errors',
      ok: unexpected.length === 0,
      detail: unexpected.length
        ? unexpected
            .map(
              (r) =>
                `${r.scenario}×${r.connections}: ${JSON.stringify(r.statusCodes)}, errors ${r.errors}`,
            )
            .join('; ')
        : `${mine.reduce((a, r) => a + r.completed, 0)} responses`,
    },
    {
      name: 'rows = accepted unique requests (+ ≤ cut-off in-flight ones)',
      ok: wamids.length >= acceptedUnique && wamids.length <= acceptedUnique + cutOffInFlight,
      detail: `${wamids.length} rows, ${acceptedUnique} accepted, ${cutOffInFlight} cut off in flight`,
    },
    {
      name: `every row '${expectedStatus}'`,
      ok: (rowsByStatus[expectedStatus] ?? 0) === wamids.length,
      detail: JSON.stringify(rowsByStatus),
    },
    {
      name: 'exactly one BullMQ job per row (same ids)',
      ok:
        jobIds.length === wamids.length &&
        rowsWithoutJob === 0 &&
        jobsWithoutRow === 0 &&
        repeated === 0,
      detail: `${jobIds.length} jobs; rows without job ${rowsWithoutJob}, jobs without row ${jobsWithoutRow}, repeated ids ${repeated}`,
    },
  ];
  return {
    ok: checks.every((c) => c.ok),
    acceptedUnique,
    cutOffInFlight,
    rows: wamids.length,
    rowsByStatus,
    jobs: jobIds.length,
    checks,
  };
}

// --- backend probe --------------------------------------------------------------------------

interface Percentiles {
  p50: number;
  p99: number;
}

/**
 * Sequential round trips before the load, to read the numbers against: a committed INSERT
 * waits for the WAL flush (synchronous_commit), which is often most of a request's time.
 */
async function probeBackends(
  db: Pool,
  redis: Redis,
): Promise<{ pgSelect: Percentiles; pgCommit: Percentiles; redisPing: Percentiles }> {
  const time = async (n: number, fn: (i: number) => Promise<unknown>): Promise<Percentiles> => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await fn(i);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    const at = (q: number) => round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!, 2);
    return { p50: at(0.5), p99: at(0.99) };
  };
  await db.query(`CREATE TABLE bench_probe (id bigserial PRIMARY KEY, v text UNIQUE)`);
  const pgSelect = await time(100, () => db.query('SELECT 1'));
  const pgCommit = await time(100, (i) =>
    db.query(`INSERT INTO bench_probe (v) VALUES ($1) ON CONFLICT DO NOTHING`, [`v${i}`]),
  );
  await db.query(`DROP TABLE bench_probe`);
  const redisPing = await time(100, () => redis.ping());
  return { pgSelect, pgCommit, redisPing };
}

// --- printing -------------------------------------------------------------------------------

function printRounds(rows: RoundResult[]): void {
  console.log(
    `\n${table(
      [
        'server',
        'scenario',
        'conns',
        'round',
        'req/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        'errors',
        'requests',
        'cpu ms/req',
      ],
      rows.map((r) => [
        r.server,
        r.scenario,
        String(r.connections),
        String(r.round),
        fmt(r.requestsPerSec, 0),
        String(r.latencyMs.p50),
        String(r.latencyMs.p99),
        String(r.latencyMs.max),
        String(r.errors + r.unexpectedStatus),
        String(r.completed),
        fmt(r.serverCpuMsPerRequest, 3),
      ]),
    )}`,
  );
  console.log(
    'errors: socket errors + responses with another status than expected; cpu ms/req: server process, all threads.',
  );
}

function printComparison(rows: Comparison[]): void {
  console.log(
    `\n${table(
      [
        'conns',
        'product req/s',
        'p50/p99 ms',
        'bare req/s',
        'p50/p99 ms',
        'product/bare',
        'pair ratios',
      ],
      rows.map((c) => [
        String(c.connections),
        fmt(c.product.requestsPerSec, 0),
        `${c.product.p50}/${c.product.p99}`,
        fmt(c.bare.requestsPerSec, 0),
        `${c.bare.p50}/${c.bare.p99}`,
        fmt(c.ratio, 2),
        c.pairRatios.map((x) => fmt(x, 2)).join(' '),
      ]),
    )}`,
  );
  console.log(
    'Medians of the alternating rounds; pair ratios: product ÷ bare of each consecutive pair.',
  );
}

function printExplanation(explain: Record<ServerName, Explanation>): void {
  for (const [name, e] of Object.entries(explain)) {
    const p = e.perRequest;
    console.log(
      `\n${name}: per request ${p.pgQueries} PostgreSQL queries (${p.pgCommits} commits by pg_stat_database),` +
        ` ${p.redisRoundTrips} Redis round trips (${p.redisCommands} commands); event loop ${fmt(e.eventLoopUtilization * 100, 0)}% busy at ${fmt(e.requestsPerSec, 0)} req/s`,
    );
    console.log(
      `  pg: ${JSON.stringify(p.pgByStatement)}\n  redis: ${JSON.stringify(p.redisByCommand)}`,
    );
    const prof = e.profile;
    console.log(
      `  CPU profile ${prof.file} (${prof.durationMs} ms, main thread ${prof.busyPct}% busy); top self time:`,
    );
    console.log(
      table(
        ['function', 'where', 'category', 'self ms', 'self %'],
        prof.topFunctions
          .slice(0, 15)
          .map((f) => [
            f.function.slice(0, 40),
            f.where.slice(0, 60),
            f.category,
            fmt(f.selfMs, 0),
            fmt(f.selfPct, 1),
          ]),
      )
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
    console.log(
      `  app functions by inclusive time (synchronous part; awaited I/O shows under its callbacks): ${prof.appInclusive
        .slice(0, 8)
        .map((f) => `${f.function} ${fmt(f.totalPct, 1)}%`)
        .join(', ')}`,
    );
    console.log(
      `  by category: ${prof.byCategory
        .slice(0, 12)
        .map((c) => `${c.category} ${fmt(c.selfPct, 1)}%`)
        .join(', ')}`,
    );
  }
}

function printConsistency(name: string, c: Consistency): void {
  console.log(`\nConsistency (${name}): ${c.ok ? 'PASS' : 'FAIL'}`);
  for (const check of c.checks)
    console.log(`  [${check.ok ? 'ok' : 'FAIL'}] ${check.name}: ${check.detail}`);
}

void main().then(() => process.exit());
