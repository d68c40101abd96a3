/**
 * Webhook throughput/latency benchmark: `npm run bench:webhook`.
 *
 * Boots the real app in this process (APP_ROLE=api: no worker, so no LLM or Graph calls)
 * against a database of its own (changarrito_bench_<id>, migrated from scratch) and a Redis key
 * prefix of its own, then drives POST /webhooks/whatsapp with autocannon. Every request is a
 * realistic one-message Meta payload with a fresh wamid, signed over its exact bytes.
 *
 * Scenarios (all against the same path):
 *   unique         new wamid per request: signature + parse + INSERT + enqueue + UPDATE → 200
 *   duplicate      Meta redelivering one wamid: signature + parse + INSERT that conflicts → 200
 *   bad-signature  same kind of body, wrong HMAC: rejected by the guard → 401, no DB/Redis work
 * The two baselines show what the insert + enqueue cost on top of the HTTP/Nest/HMAC path.
 *
 * autocannon runs in a worker thread (workers: 1) so generating and signing requests does not
 * share the app's event loop; the per-request builder is bench/support/webhook-request.js.
 *
 * Afterwards it checks that every accepted request left exactly one inbound_messages row and
 * one BullMQ job, prints a table, writes bench/results/webhook.json and cleans up (app, database,
 * Redis keys).
 *
 * Knobs (env): BENCH_CONNECTIONS=10,50  BENCH_DURATION=10  BENCH_BASELINE_DURATION=5
 *              BENCH_WARMUP=2  BENCH_LOG_LEVEL=warn  BENCH_CLIENT=worker|inline
 *              BENCH_REDIS_URL=redis://127.0.0.1:6379  TEST_ADMIN_DATABASE_URL=postgres://…/postgres
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { redisOptionsFromUrl } from '../src/common/redis-options';
import { INBOUND_QUEUE, jobIdFor } from '../src/inbox/inbound-queue';
import { deleteKeys } from '../dev/support/redis-keys';
import { createMigratedDatabase, dropDatabase } from '../dev/support/database';
import { type RunningApp, startApp } from '../dev/support/app-harness';
import { createTenant } from '../dev/support/tenants';
import { envelope, newWaId, textMessage } from '../dev/support/webhook';

type Mode = 'unique' | 'duplicate' | 'bad-signature';

interface Scenario {
  name: string;
  mode: Mode;
  connections: number;
  duration: number;
  expectedStatus: number;
  /** Warm-up runs count for the consistency check but are left out of the table. */
  warmup?: boolean;
}

interface ScenarioResult {
  name: string;
  mode: Mode;
  connections: number;
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
  /** Share of the run the app's event loop was busy (1 = saturated: latency is queueing). */
  appEventLoopUtilization: number;
  /** Busy time of the app's event loop per completed request (ELU × duration / requests). */
  appBusyMsPerRequest: number;
  /**
   * On-CPU time of the app thread per request (Linux /proc; null elsewhere). Much lower than
   * appBusyMsPerRequest means the thread was runnable but waiting for a CPU (contention).
   */
  appCpuMsPerRequest: number | null;
}

const WEBHOOK_PATH = '/webhooks/whatsapp';
const APP_SECRET = 'bench-app-secret';
const REQUEST_BUILDER = join(__dirname, 'support', 'webhook-request.js');
const RESULTS_FILE = join(__dirname, 'results', 'webhook.json');
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

function numberEnv(name: string, def: number): number {
  const v = Number(process.env[name] ?? def);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
}

const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '10,50')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const DURATION = numberEnv('BENCH_DURATION', 10);
const BASELINE_DURATION = numberEnv('BENCH_BASELINE_DURATION', 5);
const WARMUP = numberEnv('BENCH_WARMUP', 2);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const INLINE_CLIENT = process.env.BENCH_CLIENT === 'inline';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const dbName = `changarrito_bench_${runId}`;
const queuePrefixBase = `bench_${runId}`;

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = loadavg().map((n) => round(n, 2));
  if (loadBefore[0] > cpus().length * 0.5) {
    console.warn(
      `Note: load average ${loadBefore[0]} on ${cpus().length} CPUs; other work will skew the numbers.`,
    );
  }
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const base = CONNECTIONS[0] ?? 10;
  const scenarios: Scenario[] = [
    {
      name: 'warm-up',
      mode: 'unique',
      connections: base,
      duration: WARMUP,
      expectedStatus: 200,
      warmup: true,
    },
    ...CONNECTIONS.map((c): Scenario => ({
      name: 'unique wamid',
      mode: 'unique',
      connections: c,
      duration: DURATION,
      expectedStatus: 200,
    })),
    {
      name: 'duplicate wamid',
      mode: 'duplicate',
      connections: base,
      duration: BASELINE_DURATION,
      expectedStatus: 200,
    },
    {
      name: 'bad signature',
      mode: 'bad-signature',
      connections: base,
      duration: BASELINE_DURATION,
      expectedStatus: 401,
    },
  ];

  // The app reads its configuration from the environment; this process owns all of it.
  Object.assign(process.env, {
    NODE_ENV: 'production',
    APP_ROLE: 'api',
    LOG_LEVEL,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefixBase,
    RELAY_INTERVAL_MS: '5000',
    WHATSAPP_VERIFY_TOKEN: 'bench-verify-token',
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_ACCESS_TOKEN: 'bench-access-token',
    WHATSAPP_API_BASE_URL: 'http://127.0.0.1:9',
    OPENROUTER_API_KEY: 'sk-or-bench-key',
    OPENROUTER_BASE_URL: 'http://127.0.0.1:9/api/v1',
    ADMIN_API_TOKEN: 'bench-admin-token-0123456789',
    ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  });

  let app: RunningApp | undefined;
  let dbCreated = false;
  const redis = new Redis({ ...redisOptionsFromUrl(REDIS_URL), maxRetriesPerRequest: 1 });
  let failed: boolean;
  try {
    console.log(`Creating database ${dbName} and running migrations…`);
    process.env.DATABASE_URL = await createMigratedDatabase(dbName);
    dbCreated = true;

    app = await startApp({ RELAY_INTERVAL_MS: '5000' }, 'api');
    const queuePrefix = app.queuePrefix;
    const senders: string[] = [];
    for (let i = 0; i < SENDERS; i++) {
      const t = await createTenant(app.db, {
        name: `Abarrotes Bench ${i + 1}`,
        ownerWaId: newWaId(),
      });
      senders.push(t.ownerWaId);
    }
    console.log(`App up at ${app.url} (role api, queue prefix ${queuePrefix}) after ${elapsed()}`);
    const probe = await probeBackends(app, redis);
    console.log(
      `Idle round trips (p50/p99 ms): PostgreSQL SELECT 1 ${probe.pgSelect.p50}/${probe.pgSelect.p99},` +
        ` committed INSERT ${probe.pgCommit.p50}/${probe.pgCommit.p99}, Redis PING ${probe.redisPing.p50}/${probe.redisPing.p99}`,
    );

    // One Meta-shaped body with placeholders; the worker fills them in and signs per request.
    const template = JSON.stringify(
      envelope({
        messages: [textMessage({ from: '__FROM__', text: '__TEXT__', wamid: '__WAMID__' })],
      }),
    );
    const duplicateWamid = `wamid.HBgNBENCH${runId}DUP`;

    const results: ScenarioResult[] = [];
    let seededDuplicate = false;
    for (const [i, s] of scenarios.entries()) {
      if (s.mode === 'duplicate' && !seededDuplicate) {
        await seedDuplicate(app.url, template, duplicateWamid, senders[0]);
        seededDuplicate = true;
      }
      process.stdout.write(
        `Running ${s.name} × ${s.connections} connections for ${s.duration} s… `,
      );
      const r = await runScenario(app.url, s, {
        template,
        mode: s.mode,
        wamidPrefix: `wamid.HBgNBENCH${runId}s${i}`,
        duplicateWamid,
        senders,
        texts: TEXTS,
        secret: APP_SECRET,
        badSecret: `${APP_SECRET}-wrong`,
      });
      console.log(`${r.requestsPerSec.toFixed(0)} req/s, p99 ${r.latencyMs.p99} ms`);
      results.push(r);
      await sleep(300); // let requests cut off at the end of the run finish server-side
    }

    const consistency = await checkConsistency(
      app,
      queuePrefix,
      scenarios,
      results,
      seededDuplicate,
    );

    const table = results.filter((_, i) => !scenarios[i].warmup);
    printTable(table);
    printConsistency(consistency);
    failed = !consistency.ok;

    const commit = git(['rev-parse', 'HEAD']);
    const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
    const report = {
      timestamp: new Date().toISOString(),
      node: process.version,
      commit,
      workingTreeDirty: dirty,
      platform: `${process.platform} ${process.arch}`,
      loadAvgBefore: loadBefore,
      loadAvgAfter: loadavg().map((n) => round(n, 2)),
      cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
      config: {
        connections: CONNECTIONS,
        durationSec: DURATION,
        baselineDurationSec: BASELINE_DURATION,
        warmupSec: WARMUP,
        client: INLINE_CLIENT ? 'autocannon in the app thread' : 'autocannon in a worker thread',
        appRole: 'api',
        logLevel: LOG_LEVEL,
        payload: 'one text message per request (Meta envelope), fresh wamid per request',
      },
      scenarios: table,
      warmup: results.filter((_, i) => scenarios[i].warmup),
      backendProbe: probe,
      consistency,
    };
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nWrote ${RESULTS_FILE}`);
  } catch (err) {
    failed = true;
    console.error(`\nBenchmark failed: ${(err as Error).stack ?? String(err)}`);
  } finally {
    await app?.close().catch((err: unknown) => console.error(`closing app: ${String(err)}`));
    if (dbCreated) {
      await dropDatabase(dbName).catch((err: unknown) =>
        console.error(`dropping ${dbName}: ${String(err)}`),
      );
    }
    const deleted = await deleteKeys(redis, `${queuePrefixBase}*`).catch((err: unknown) => {
      console.error(`deleting Redis keys: ${String(err)}`);
      return 0;
    });
    redis.disconnect();
    console.log(
      `Cleaned up: app closed, database ${dbName} dropped, ${deleted} Redis key(s) deleted. Total ${elapsed()}.`,
    );
  }
  if (failed) process.exitCode = 1;
}

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

async function runScenario(
  url: string,
  s: Scenario,
  bench: BenchRequestParams,
): Promise<ScenarioResult> {
  const request: autocannon.Request & { bench: BenchRequestParams } = {
    method: 'POST',
    path: WEBHOOK_PATH,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    setupRequest: INLINE_CLIENT ? require(REQUEST_BUILDER) : REQUEST_BUILDER,
    bench,
  };
  const cpu0 = mainThreadCpuMs();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  const r = await autocannon({
    url: `${url}${WEBHOOK_PATH}`,
    method: 'POST',
    connections: s.connections,
    duration: s.duration,
    timeout: 10,
    requests: [request],
    ...(INLINE_CLIENT ? {} : { workers: 1 }),
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = v.count ?? 0;
  const completed = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  const elu = performance.eventLoopUtilization(elu0).utilization;
  const wallMs = performance.now() - t0;
  const cpu1 = mainThreadCpuMs();
  return {
    name: s.name,
    mode: s.mode,
    connections: s.connections,
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
    appEventLoopUtilization: round(elu, 3),
    appBusyMsPerRequest: completed ? round((elu * wallMs) / completed, 3) : 0,
    appCpuMsPerRequest:
      completed && cpu0 !== null && cpu1 !== null ? round((cpu1 - cpu0) / completed, 3) : null,
  };
}

/** utime + stime of this process's main thread (the app's event loop), in ms; Linux only. */
function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after "(comm)": state is #3, utime #14 and stime #15 (clock ticks, 100 Hz).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

function round(n: number, digits: number): number {
  return Number(n.toFixed(digits));
}

/** Stores the wamid the duplicate scenario will keep redelivering. */
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

interface Consistency {
  ok: boolean;
  acceptedUnique: number;
  /** Requests sent but cut off when a timed run ended: the server may still have stored them. */
  cutOffInFlight: number;
  rows: number;
  rowsByStatus: Record<string, number>;
  jobs: number;
  jobCounts: Record<string, number>;
  rowsWithoutJob: number;
  jobsWithoutRow: number;
  duplicateJobIds: number;
  checks: { name: string; ok: boolean; detail: string }[];
}

async function checkConsistency(
  app: RunningApp,
  queuePrefix: string,
  scenarios: Scenario[],
  results: ScenarioResult[],
  seededDuplicate: boolean,
): Promise<Consistency> {
  // Wait until the server has finished whatever the last runs left in flight.
  let rows = -1;
  for (let i = 0; i < 40; i++) {
    const [{ n }] = (await app.db.query(`SELECT count(*)::int AS n FROM inbound_messages`)) as {
      n: number;
    }[];
    const [{ r }] = (await app.db.query(
      `SELECT count(*)::int AS r FROM inbound_messages WHERE status = 'received'`,
    )) as { r: number }[];
    if (n === rows && r === 0) break;
    rows = n;
    await sleep(100);
  }

  const uniqueRuns = results.filter((_, i) => scenarios[i].mode === 'unique');
  const acceptedUnique = uniqueRuns.reduce((a, r) => a + r.count2xx, 0) + (seededDuplicate ? 1 : 0);
  const cutOffInFlight = uniqueRuns.reduce((a, r) => a + (r.sent - r.completed), 0);

  const statusRows = (await app.db.query(
    `SELECT status, count(*)::int AS n FROM inbound_messages GROUP BY status`,
  )) as { status: string; n: number }[];
  const rowsByStatus = Object.fromEntries(statusRows.map((r) => [r.status, r.n]));
  const wamids = (
    (await app.db.query(`SELECT wamid FROM inbound_messages`)) as { wamid: string }[]
  ).map((r) => jobIdFor(r.wamid));
  rows = wamids.length;

  const queue = new Queue(INBOUND_QUEUE, {
    connection: redisOptionsFromUrl(REDIS_URL),
    prefix: queuePrefix,
  });
  let jobIds: string[];
  let jobCounts: Record<string, number>;
  try {
    jobCounts = await queue.getJobCounts();
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
  const duplicateJobIds = jobIds.length - jobSet.size;

  const unexpected = results.filter((r) => r.unexpectedStatus > 0 || r.errors > 0);
  const checks = [
    {
      name: 'every response had the expected status, no socket errors',
      ok: unexpected.length === 0,
      detail: unexpected.length
        ? unexpected
            .map(
              (r) =>
                `${r.name}×${r.connections}: ${JSON.stringify(r.statusCodes)}, errors ${r.errors}`,
            )
            .join('; ')
        : `${results.reduce((a, r) => a + r.completed, 0)} responses`,
    },
    {
      name: 'rows = accepted unique requests (+ ≤ cut-off in-flight ones)',
      ok: rows >= acceptedUnique && rows <= acceptedUnique + cutOffInFlight,
      detail: `${rows} rows, ${acceptedUnique} accepted, ${cutOffInFlight} cut off in flight`,
    },
    {
      name: 'every row queued (none received/ignored/failed)',
      ok: (rowsByStatus.queued ?? 0) === rows,
      detail: JSON.stringify(rowsByStatus),
    },
    {
      name: 'exactly one BullMQ job per row (same ids)',
      ok:
        jobIds.length === rows &&
        rowsWithoutJob === 0 &&
        jobsWithoutRow === 0 &&
        duplicateJobIds === 0,
      detail: `${jobIds.length} jobs; rows without job ${rowsWithoutJob}, jobs without row ${jobsWithoutRow}, repeated ids ${duplicateJobIds}`,
    },
  ];
  return {
    ok: checks.every((c) => c.ok),
    acceptedUnique,
    cutOffInFlight,
    rows,
    rowsByStatus,
    jobs: jobIds.length,
    jobCounts,
    rowsWithoutJob,
    jobsWithoutRow,
    duplicateJobIds,
    checks,
  };
}

interface Percentiles {
  p50: number;
  p99: number;
}

/**
 * Sequential round trips before the load, to read the numbers against: a committed INSERT waits
 * for the WAL flush (synchronous_commit), which is often most of a webhook request's time.
 */
async function probeBackends(
  app: RunningApp,
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
    const at = (q: number) => round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))], 2);
    return { p50: at(0.5), p99: at(0.99) };
  };
  await app.db.query(`CREATE TABLE bench_probe (id bigserial PRIMARY KEY, v text UNIQUE)`);
  const pgSelect = await time(100, () => app.db.query('SELECT 1'));
  const pgCommit = await time(100, (i) =>
    app.db.query(`INSERT INTO bench_probe (v) VALUES ($1) ON CONFLICT DO NOTHING`, [`v${i}`]),
  );
  await app.db.query(`DROP TABLE bench_probe`);
  const redisPing = await time(100, () => redis.ping());
  return { pgSelect, pgCommit, redisPing };
}

function printTable(rows: ScenarioResult[]): void {
  const header = [
    'scenario',
    'conns',
    'status',
    'req/s',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'max ms',
    'non-2xx',
    'requests',
    'app ELU',
    'app ms/req',
    'app cpu ms/req',
  ];
  const body = rows.map((r) => [
    r.name,
    String(r.connections),
    String(r.expectedStatus),
    r.requestsPerSec.toFixed(0),
    String(r.latencyMs.p50),
    String(r.latencyMs.p90),
    String(r.latencyMs.p99),
    String(r.latencyMs.max),
    String(r.non2xx),
    String(r.completed),
    r.appEventLoopUtilization.toFixed(2),
    r.appBusyMsPerRequest.toFixed(2),
    r.appCpuMsPerRequest === null ? 'n/a' : r.appCpuMsPerRequest.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const b of body) console.log(line(b));
  console.log(
    'app ELU: share of the run the app thread was busy (≈1: saturated, latency is queueing); app ms/req:\n' +
      'its busy time per request; app cpu ms/req: its on-CPU time per request (lower = waited for a CPU).',
  );
}

function printConsistency(c: Consistency): void {
  console.log(`\nConsistency check: ${c.ok ? 'PASS' : 'FAIL'}`);
  for (const check of c.checks)
    console.log(`  [${check.ok ? 'ok' : 'FAIL'}] ${check.name}: ${check.detail}`);
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: join(__dirname, '..'), encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

void main().then(() => process.exit());
