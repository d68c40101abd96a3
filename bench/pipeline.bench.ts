/**
 * End-to-end pipeline benchmark: `npm run bench:pipeline`.
 *
 * Messages from many chats go the whole way: signed webhook POST → api process (dist/,
 * APP_ROLE=api) → BullMQ → worker process(es) (dist/, APP_ROLE=worker) → fake OpenRouter with a
 * fixed latency per call (tool-call rounds included) → fake Graph API. Every chat is its own
 * shop (a copy of the demo catalogue and its last week of sales) whose owner writes read
 * questions and a few greetings.
 *
 * Load model: closed loop, like owners who wait for the answer before asking again. The driver
 * keeps as many messages in flight as the workers have slots (processes × WORKER_CONCURRENCY),
 * one per chat at most, always picking the chat idle the longest. So the queue never piles up
 * and what is measured is the pipeline at full use of its slots, not a backlog.
 *
 * Figures per configuration:
 *   answers/s     replies received per second in the steady window (after warm-up, before the
 *                 drain), next to the LLM-bound ideal: slots ÷ mean LLM time per message
 *   overhead      per message: (fake Graph receives the reply) − (webhook POST starts) − (the
 *                 fake LLM's own service time for that message's calls, from x-fake-service-ms)
 *                 Targets: p50 < 10 ms, p99 < 40 ms
 *   tokens        per LLM-answered message, from token_usage (median, p95)
 *   worker        CPU time per answer and RSS (from /proc), and the api process's CPU per message
 * Every message must be answered exactly once: one reply row per message, one send each at
 * the fake Graph API, no extra sends, every inbound row 'processed'.
 *
 * WORKER_CONCURRENCY is passed to the worker processes through the environment; the app reads
 * it once the restructuring that introduces it lands (until then its worker runs a fixed 8).
 * The bench reports the concurrency it actually observed (most LLM calls in flight at once).
 *
 * Writes bench/results/pipeline.json. Knobs (env):
 *   BENCH_PIPELINE_MESSAGES=2000  BENCH_PIPELINE_CHATS=200  BENCH_PIPELINE_LLM_MS=300
 *   BENCH_PIPELINE_RUNS=1x1,1x8,1x32,1x64,2x32 (processes × WORKER_CONCURRENCY)
 *   BENCH_PIPELINE_PER_SLOT=100 (a run sends min(MESSAGES, max(PER_SLOT × slots, 100)) so the
 *   single-slot run takes a minute, not ten; 0 = always MESSAGES)
 *   BENCH_PIPELINE_PROFILE=0 (skip the extra probed 1 × 8 run that counts the worker's
 *   PostgreSQL/Redis round trips per answer and CPU-profiles it; never part of the figures)
 *   BENCH_LOG_LEVEL=warn  BENCH_REDIS_URL  BENCH_SKIP_BUILD=1  BENCH_QUICK=1
 *   BENCH_APP_ROOT=/path/to/another/checkout (+ BENCH_APP_COMMIT): measure that build instead
 */
import 'reflect-metadata';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { redisOptionsFromUrl } from '../src/common/redis-options';
import { startFakeGraphApi, type FakeGraphApi } from '../dev/fakes/fake-graph-api';
import { startFakeOpenRouter, type FakeOpenRouter } from '../dev/fakes/fake-openrouter';
import { sellPackage } from '../dev/support/admin';
import type { RunningApp } from '../dev/support/app-harness';
import { createMigratedDatabase, dropDatabase } from '../dev/support/database';
import { deleteKeys } from '../dev/support/redis-keys';
import { envelope, postWebhook, textMessage } from '../dev/support/webhook';
import { benchPool } from './support/pg';
import { summarizeCpuProfile, type ProfileSummary } from './support/cpu-profile';
import { seedBenchShops, type BenchShop } from './support/pipeline-shops';
import {
  appCommit,
  APP_ROOT,
  type AppProcess,
  ensureBuild,
  processCpuMs,
  processMemoryMb,
  startCompiledApp,
} from './support/processes';
import { type Headline, QUICK, RESULTS_DIR, startRun, writeResult } from './support/run-info';
import { fmt, numberEnv, round, sleep, summarize, table, type Summary } from './support/stats';

const READ_QUESTIONS = [
  '¿cuánto vendí hoy?',
  '¿y ayer?',
  'cuanto vendi esta semana',
  '¿qué fue lo que más vendí este mes?',
  '¿cuántas cocas me quedan?',
  '¿qué me falta surtir?',
  '¿cuánto gané hoy?',
  'cuanto gane esta semana',
  '¿a cómo tengo el aceite?',
  'precio de la maruchan',
  'cuantas sabritas tengo',
  '¿cuánto vendí ayer?',
];
/** Answered without the LLM; about one message in eight, as in a normal chat. */
const ZERO_TOKEN = ['hola', 'gracias'];
const TEXTS = [
  ...READ_QUESTIONS.slice(0, 7),
  ZERO_TOKEN[0]!,
  ...READ_QUESTIONS.slice(7),
  ZERO_TOKEN[1]!,
];

/** What the worker ran before WORKER_CONCURRENCY existed. */
const OLD_FIXED_CONCURRENCY = 8;
const TARGET_P50_MS = 10;
const TARGET_P99_MS = 40;
/** Generated per run: the compiled app runs with NODE_ENV=production, which refuses example secrets. */
const APP_SECRET = randomBytes(24).toString('hex');
const ACCESS_TOKEN = 'bench-access-token';
/** Generated per run (production refuses example tokens); dev/support/admin-api reads it from the env. */
const ADMIN_TOKEN = randomBytes(24).toString('hex');
process.env.ADMIN_API_TOKEN = ADMIN_TOKEN;
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const MESSAGES = numberEnv('BENCH_PIPELINE_MESSAGES', QUICK ? 200 : 2000);
const CHATS = numberEnv('BENCH_PIPELINE_CHATS', QUICK ? 40 : 200);
const LLM_MS = numberEnv('BENCH_PIPELINE_LLM_MS', 300);
const PER_SLOT = numberEnv('BENCH_PIPELINE_PER_SLOT', QUICK ? 25 : 100);
/** BENCH_PIPELINE_PROFILE=0 skips the probed run that explains the worker's time. */
const PROFILE = process.env.BENCH_PIPELINE_PROFILE !== '0';
const RUNS = (process.env.BENCH_PIPELINE_RUNS ?? '1x1,1x8,1x32,1x64,2x32').split(',').map((s) => {
  const m = /^(\d+)x(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`BENCH_PIPELINE_RUNS: "${s}" is not PROCESSESxCONCURRENCY`);
  return { processes: Number(m[1]), concurrency: Number(m[2]) };
});

let runCounter = 0;
const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const dbName = `changarrito_bench_pipe_${runId}`;
const queuePrefix = `bench_pipe_${runId}`;

interface Msg {
  seq: number;
  chat: number;
  wamid: string;
  text: string;
  warmup: boolean;
  postAt: number; // performance.now()
  postAtEpoch: number; // Date.now(), to line up with the fake's receivedAt
  postMs?: number;
  postStatus?: number;
  replyAt?: number;
  replyAtEpoch?: number;
  llmCalls: number;
  llmServiceMs: number;
  /** Epoch ms: the fake LLM received the message's first call / finished its last one. */
  firstLlmAtEpoch?: number;
  lastLlmEndEpoch?: number;
}

interface RunResult {
  label: string;
  processes: number;
  concurrency: number;
  slots: number;
  messages: number;
  measured: number;
  windowSec: number;
  answersPerSec: number;
  /** slots ÷ mean LLM service time per message: what pure LLM latency would allow. */
  idealAnswersPerSec: number;
  endToEndMs: Summary;
  overheadMs: Summary;
  overheadLlmAnsweredMs: Summary;
  overheadZeroTokenMs: Summary;
  /** LLM-answered messages: POST start → first LLM call received (webhook, queue, worker). */
  beforeLlmMs: Summary;
  /** LLM-answered messages: last LLM call done → reply at the Graph API. */
  afterLlmMs: Summary;
  webhookPostMs: Summary;
  llmServiceMsPerMessage: Summary;
  llmCallsPerLlmMessage: number;
  maxLlmInFlight: number;
  meanLlmInFlight: number;
  concurrencyHonoured: boolean;
  tokensPerLlmAnswer: { median: number; p95: number; n: number };
  /** The costliest answers of the run: which questions approach the 500-token alert. */
  costliestAnswers: { text: string; tokens: number; llmCalls: number }[];
  zeroTokenAnswers: number;
  fallbackLevels: Record<string, number>;
  deferredJobs: number | null;
  unattributedLlmCalls: number;
  llmCallsMismatchingTokenUsage: number;
  workers: {
    cpuMsPerAnswer: number;
    cpuCoreShare: number;
    rssMbMax: number;
    rssMbPeakHwm: number;
  }[];
  workerCpuMsPerAnswer: number;
  apiCpuMsPerMessage: number;
  /** PostgreSQL backends serving this run's database (all of them, pools of every process). */
  postgresCpuMsPerAnswer: number | null;
  /** This process: the load driver, the fake OpenRouter and the fake Graph API. */
  benchProcessCpuMsPerAnswer: number;
  /** Every CPU of the machine, busy share over the window (anyone's work, ours included). */
  machineBusyPct: number | null;
  exactlyOnce: { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] };
  pass: { p50: boolean; p99: boolean };
}

async function main(): Promise<void> {
  const info = startRun('pipeline');
  ensureBuild();
  const graph = await startFakeGraphApi({ accessToken: ACCESS_TOKEN });
  const llm = await startFakeOpenRouter({ latencyMs: LLM_MS });
  const redis = new Redis({ ...redisOptionsFromUrl(REDIS_URL), maxRetriesPerRequest: 1 });
  let api: AppProcess | undefined;
  let workers: AppProcess[] = [];
  let dbCreated = false;
  let db: Pool | undefined;
  let failed = false;
  try {
    console.log(`Creating ${dbName}, seeding ${CHATS} shops (one chat each)…`);
    const databaseUrl = await createMigratedDatabase(dbName);
    dbCreated = true;
    db = benchPool(databaseUrl);
    const shops = await seedBenchShops(databaseUrl, CHATS);
    const env = appEnv(databaseUrl, graph, llm);
    api = await startCompiledApp({ name: 'pipeline-api', role: 'api', env });
    console.log(`api ${api.url} (pid ${api.pid}); fake LLM latency ${LLM_MS} ms per call`);

    const results: RunResult[] = [];
    for (const cfg of RUNS) {
      const slots = cfg.processes * cfg.concurrency;
      const total = PER_SLOT > 0 ? Math.min(MESSAGES, Math.max(PER_SLOT * slots, 100)) : MESSAGES;
      await prepareRun(db, api, shops, total);
      graph.reset();
      llm.reset();
      workers = [];
      for (let p = 0; p < cfg.processes; p++) {
        workers.push(
          await startCompiledApp({
            name: `pipeline-worker-${cfg.processes}x${cfg.concurrency}-${p + 1}`,
            role: 'worker',
            env: { ...env, WORKER_CONCURRENCY: String(cfg.concurrency) },
          }),
        );
      }
      const r = await runConfig(cfg, slots, total, shops, { db, api, workers, graph, llm });
      results.push(r);
      for (const w of workers) await w.stop();
      workers = [];
      printRun(r);
      if (!r.exactlyOnce.ok) failed = true;
    }

    // Explaining the worker: one more 1 × 8 run with the bench-only probe (not in the figures).
    let explain: WorkerExplanation | undefined;
    if (PROFILE) {
      const total = Math.min(MESSAGES, QUICK ? 100 : 400);
      await prepareRun(db, api, shops, total);
      graph.reset();
      llm.reset();
      const probed = await startCompiledApp({
        name: 'pipeline-worker-probed',
        role: 'worker',
        env: { ...env, WORKER_CONCURRENCY: '8' },
        probe: true,
      });
      workers = [probed];
      explain = await explainWorker(probed, total, shops, { db, api, workers, graph, llm });
      await probed.stop();
      workers = [];
      printExplanation(explain);
    }

    printSummary(results);
    const headlines: Headline[] = results.flatMap((r): Headline[] => [
      {
        figure: `pipeline answers/s, ${r.label}${r.concurrencyHonoured ? '' : ' (concurrency NOT honoured)'}`,
        value: r.answersPerSec,
        unit: 'answers/s',
        target: null,
        baseline: `LLM-bound ideal ${fmt(r.idealAnswersPerSec, 1)}/s`,
        pass: null,
      },
      {
        figure: `pipeline overhead p50, ${r.label}`,
        value: r.overheadMs.p50,
        unit: 'ms',
        target: `< ${TARGET_P50_MS} ms`,
        baseline: `LLM time/msg p50 ${fmt(r.llmServiceMsPerMessage.p50, 0)} ms`,
        pass: r.pass.p50,
      },
      {
        figure: `pipeline overhead p99, ${r.label}`,
        value: r.overheadMs.p99,
        unit: 'ms',
        target: `< ${TARGET_P99_MS} ms`,
        baseline: `e2e p99 ${fmt(r.endToEndMs.p99, 0)} ms`,
        pass: r.pass.p99,
      },
    ]);
    headlines.push({
      figure: 'pipeline: every message answered exactly once',
      value: null,
      unit: '',
      target: 'all runs',
      baseline: null,
      pass: results.every((r) => r.exactlyOnce.ok),
    });
    if (results[0]) {
      headlines.push({
        figure: 'pipeline tokens per LLM answer (median)',
        value: results[0].tokensPerLlmAnswer.median,
        unit: 'tokens',
        target: null,
        baseline: `p95 ${results[0].tokensPerLlmAnswer.p95}`,
        pass: null,
      });
    }
    writeResult('pipeline', info, headlines, {
      // The benchmark's own code is \`commit\`; the app it measured may be another build.
      appUnderTest: { root: APP_ROOT, commit: appCommit() },
      config: {
        messages: MESSAGES,
        chats: CHATS,
        llmLatencyMs: LLM_MS,
        perSlot: PER_SLOT,
        runs: RUNS,
        logLevel: LOG_LEVEL,
        load: 'closed loop: in flight = slots, one message per chat at most, longest-idle chat next',
        texts: TEXTS,
        app: 'node dist/src/main.js: one APP_ROLE=api process + N APP_ROLE=worker processes',
        workerConcurrency:
          'WORKER_CONCURRENCY env passed to workers; honoured only once the app reads it (see concurrencyHonoured)',
      },
      targets: { overheadP50Ms: TARGET_P50_MS, overheadP99Ms: TARGET_P99_MS },
      runs: results,
      explain,
    });
  } catch (err) {
    failed = true;
    console.error(`\nBenchmark failed: ${(err as Error).stack ?? String(err)}`);
    for (const c of [api, ...workers])
      if (c) console.error(`--- ${c.name} (${c.logFile}) ---\n${c.tail(20)}`);
  } finally {
    for (const w of workers) await w.stop().catch(() => undefined);
    await api?.stop().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await graph.close();
    await llm.close();
    if (dbCreated)
      await dropDatabase(dbName).catch((e: unknown) =>
        console.error(`drop ${dbName}: ${String(e)}`),
      );
    const deleted = await deleteKeys(redis, `${queuePrefix}*`).catch(() => 0);
    redis.disconnect();
    console.log(
      `Cleaned up: processes stopped, ${dbName} dropped, ${deleted} Redis key(s) deleted.`,
    );
  }
  if (failed) process.exitCode = 1;
}

function appEnv(
  databaseUrl: string,
  graph: FakeGraphApi,
  llm: FakeOpenRouter,
): Record<string, string> {
  return {
    LOG_LEVEL,
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    RELAY_INTERVAL_MS: '5000',
    // A chat writes ~10 messages in a run of 20-30 s: the per-chat rate limit is not measured here.
    CHAT_RATE_LIMIT_MESSAGES: '1000000',
    // Every chat asks the same few questions over unchanged data: with the response cache ([12])
    // the later ones never reach the fake LLM, and the run would not measure the pipeline with
    // an LLM call in it (bench:assistant measures the cache).
    RESPONSE_CACHE_TTL_SECONDS: '0',
    WHATSAPP_VERIFY_TOKEN: 'bench-verify-token',
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
    WHATSAPP_API_BASE_URL: graph.baseUrl,
    OPENROUTER_API_KEY: 'sk-or-bench-key',
    OPENROUTER_BASE_URL: llm.baseUrl,
    ADMIN_API_TOKEN: ADMIN_TOKEN,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
}

/**
 * Same starting point for every configuration: no conversation history (prompt sizes stay
 * comparable), and enough tokens that no shop runs low (a low-balance notice would be a second
 * message to the chat).
 */
async function prepareRun(
  db: Pool,
  api: AppProcess,
  shops: BenchShop[],
  total: number,
): Promise<void> {
  await db.query(`DELETE FROM conversation_turns`);
  const perShop = Math.ceil(total / shops.length);
  const need = Math.max(20_000, perShop * 1_500);
  const { rows } = await db.query<{ tenant_id: string; available: number }>(
    `SELECT t.id AS tenant_id, COALESCE(b.available, 0) AS available
       FROM tenants t LEFT JOIN tenant_balances b ON b.tenant_id = t.id`,
  );
  const harness = { url: api.url } as unknown as RunningApp;
  const byTenant = new Map(rows.map((r) => [r.tenant_id, r.available]));
  for (const shop of shops) {
    let available = byTenant.get(shop.tenantId) ?? 0;
    while (available < need) {
      await sellPackage(harness, shop.tenantId, 'empresarial');
      available += 20_000;
    }
  }
}

interface Env {
  db: Pool;
  api: AppProcess;
  workers: AppProcess[];
  graph: FakeGraphApi;
  llm: FakeOpenRouter;
}

async function runConfig(
  cfg: { processes: number; concurrency: number },
  slots: number,
  total: number,
  shops: BenchShop[],
  env: Env,
): Promise<RunResult> {
  const label = `${cfg.processes} proc × ${cfg.concurrency}`;
  const runNo = ++runCounter; // wamids unique across runs, even of the same configuration
  const inFlightTarget = Math.min(slots, shops.length);
  const warmupCount = Math.min(Math.floor(total / 4), Math.max(20, 2 * slots));
  process.stdout.write(
    `\n${label}: ${total} messages (${warmupCount} warm-up), ${inFlightTarget} in flight… `,
  );
  const chatByWaId = new Map(shops.map((s, i) => [s.ownerWaId, i]));
  const chatByName = new Map(shops.map((s, i) => [s.name, i]));
  const idle: number[] = shops.map((_, i) => i);
  const inFlight = new Map<number, Msg>();
  const msgs: Msg[] = [];
  const perChat: Msg[][] = shops.map(() => []);
  const textIndex = shops.map((_, i) => i % TEXTS.length);
  let unexpectedSends = 0;
  let postFailures = 0;
  let windowStart: number | undefined;
  let windowEnd: number | undefined;
  let selfCpuStart: NodeJS.CpuUsage | undefined;
  let selfCpu: NodeJS.CpuUsage | undefined;
  let machineStart: Ticks | null = null;
  let machineEnd: Ticks | null = null;
  let pgStart: Promise<Map<number, number>> | undefined;
  let pgEnd: Promise<Map<number, number>> | undefined;
  const cpuStart = new Map<number, number>();
  const cpuEnd = new Map<number, number>();
  const procs = [env.api, ...env.workers];
  const rssMax = new Map<number, number>();
  const rssTimer = setInterval(() => {
    for (const w of env.workers) {
      const m = processMemoryMb(w.pid);
      if (m) rssMax.set(w.pid, Math.max(rssMax.get(w.pid) ?? 0, m.rss));
    }
  }, 250);
  const deferred0 = await deferredJobs(env.workers);

  const post = (msg: Msg): void => {
    const shop = shops[msg.chat]!;
    const body = envelope(
      { messages: [textMessage({ from: shop.ownerWaId, text: msg.text, wamid: msg.wamid })] },
      shop.phoneNumberId,
    );
    msg.postAt = performance.now();
    msg.postAtEpoch = Date.now();
    postWebhook(env.api.url, body, { secret: APP_SECRET }).then(
      (res) => {
        msg.postMs = performance.now() - msg.postAt;
        msg.postStatus = res.status;
        if (res.status !== 200) postFailures++;
      },
      () => {
        postFailures++;
      },
    );
  };
  const pump = (): void => {
    while (inFlight.size < inFlightTarget && msgs.length < total && idle.length > 0) {
      const chat = idle.shift()!;
      const seq = msgs.length;
      if (seq === warmupCount) {
        windowStart = performance.now();
        for (const p of procs) cpuStart.set(p.pid, processCpuMs(p.pid) ?? NaN);
        selfCpuStart = process.cpuUsage();
        machineStart = machineTicks();
        pgStart = postgresCpu(env.db);
      }
      const msg: Msg = {
        seq,
        chat,
        wamid: `wamid.BENCHPIPE${runId}r${runNo}n${seq}`,
        text: TEXTS[textIndex[chat]++ % TEXTS.length]!,
        warmup: seq < warmupCount,
        postAt: 0,
        postAtEpoch: 0,
        llmCalls: 0,
        llmServiceMs: 0,
      };
      msgs.push(msg);
      perChat[chat]!.push(msg);
      inFlight.set(chat, msg);
      post(msg);
      if (msgs.length === total) {
        windowEnd = performance.now();
        for (const p of procs) cpuEnd.set(p.pid, processCpuMs(p.pid) ?? NaN);
        selfCpu = process.cpuUsage(selfCpuStart);
        machineEnd = machineTicks();
        pgEnd = postgresCpu(env.db);
      }
    }
  };

  let seen = 0;
  let answered = 0;
  const started = performance.now();
  pump();
  try {
    while (answered < total) {
      try {
        await env.graph.waitForSent(seen + 1, 30_000);
      } catch {
        const { rows } = await env.db.query<{ status: string; n: number }>(
          `SELECT status, count(*)::int AS n FROM inbound_messages
            WHERE wamid = ANY($1) GROUP BY status`,
          [[...inFlight.values()].map((m) => m.wamid)],
        );
        throw new Error(
          `stalled: ${answered}/${total} answered, ${inFlight.size} in flight (rows: ` +
            `${JSON.stringify(Object.fromEntries(rows.map((r) => [r.status, r.n])))}), ` +
            `${postFailures} failed POSTs, ${env.llm.chatRequests().length} LLM calls, ` +
            `${env.graph.requests.length} Graph requests`,
        );
      }
      const now = performance.now();
      const nowEpoch = Date.now();
      for (; seen < env.graph.sent.length; seen++) {
        const chat = chatByWaId.get(env.graph.sent[seen]!.to);
        const msg = chat === undefined ? undefined : inFlight.get(chat);
        if (chat === undefined || !msg) {
          unexpectedSends++;
          continue;
        }
        msg.replyAt = now;
        msg.replyAtEpoch = nowEpoch;
        inFlight.delete(chat);
        idle.push(chat);
        answered++;
      }
      pump();
    }
  } finally {
    clearInterval(rssTimer);
  }
  const elapsed = (performance.now() - started) / 1000;
  console.log(`done in ${fmt(elapsed, 1)} s`);
  await sleep(1_500); // anything sent twice would arrive now
  unexpectedSends += env.graph.sent.length - seen;
  const deferred1 = await deferredJobs(env.workers);

  // --- attribute every LLM call to the message whose chat (shop) it served ----------------
  let unattributed = 0;
  const calls = env.llm.chatRequests();
  const inFlightLlm: [number, number][] = [];
  for (const req of calls) {
    const system = req.body?.messages?.find((m) => m.role === 'system');
    const name = /Asistente de la tienda "([^"]+)"/.exec(String(system?.content ?? ''))?.[1];
    const chat = name === undefined ? undefined : chatByName.get(name);
    const msg =
      chat === undefined
        ? undefined
        : perChat[chat]!.find(
            (m) =>
              m.postAtEpoch - 2 <= req.receivedAt &&
              req.receivedAt <= (m.replyAtEpoch ?? Infinity) + 2,
          );
    if (!msg || req.serviceMs === undefined) {
      unattributed++;
      continue;
    }
    msg.llmCalls++;
    msg.llmServiceMs += req.serviceMs;
    msg.firstLlmAtEpoch = Math.min(msg.firstLlmAtEpoch ?? Infinity, req.receivedAt);
    msg.lastLlmEndEpoch = Math.max(msg.lastLlmEndEpoch ?? 0, req.receivedAt + req.serviceMs);
    inFlightLlm.push([req.receivedAt, req.receivedAt + req.serviceMs]);
  }
  const { max: maxLlmInFlight, mean: meanLlmInFlight } = concurrencyOf(inFlightLlm);

  // --- what the database says ---------------------------------------------------------------
  const wamids = msgs.map((m) => m.wamid);
  const inbound = (
    await env.db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM inbound_messages WHERE wamid = ANY($1) GROUP BY status`,
      [wamids],
    )
  ).rows;
  const replies = (
    await env.db.query<{ inbound_wamid: string; n: number; statuses: string[]; wamids: string[] }>(
      `SELECT inbound_wamid, count(*)::int AS n, array_agg(status) AS statuses, array_agg(wamid) AS wamids
         FROM outbound_messages WHERE inbound_wamid = ANY($1) AND purpose = 'reply' GROUP BY inbound_wamid`,
      [wamids],
    )
  ).rows;
  const otherOutbound = (
    await env.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbound_messages WHERE inbound_wamid = ANY($1) AND purpose <> 'reply'`,
      [wamids],
    )
  ).rows[0]!.n;
  const levels = (
    await env.db.query<{ level: string | null; n: number }>(
      `SELECT fallback_level AS level, count(*)::int AS n FROM outbound_messages
        WHERE inbound_wamid = ANY($1) AND purpose = 'reply' GROUP BY 1`,
      [wamids],
    )
  ).rows;
  const usage = new Map(
    (
      await env.db.query<{ wamid: string; tokens: number; calls: number }>(
        `SELECT inbound_wamid AS wamid, sum(tokens_total)::int AS tokens, count(*)::int AS calls
           FROM token_usage WHERE inbound_wamid = ANY($1) GROUP BY 1`,
        [wamids],
      )
    ).rows.map((r) => [r.wamid, r]),
  );

  const statusOf = Object.fromEntries(inbound.map((r) => [r.status, r.n]));
  const sentWamids = new Set(env.graph.sent.map((s) => s.wamid));
  const replyWamids = replies.flatMap((r) => r.wamids);
  const checks = [
    {
      name: 'every webhook POST answered 200',
      ok: postFailures === 0 && msgs.every((m) => m.postStatus === 200),
      detail: `${postFailures} failed`,
    },
    {
      name: 'every message got exactly one send, no extra sends',
      ok: answered === total && unexpectedSends === 0 && env.graph.sent.length === total,
      detail: `${answered}/${total} answered, ${env.graph.sent.length} sends, ${unexpectedSends} unexpected`,
    },
    {
      name: "every inbound row 'processed'",
      ok: (statusOf.processed ?? 0) === total,
      detail: JSON.stringify(statusOf),
    },
    {
      name: 'exactly one reply row per message, sent, and it is what the Graph API received',
      ok:
        replies.length === total &&
        replies.every((r) => r.n === 1 && r.statuses[0] === 'sent') &&
        replyWamids.length === sentWamids.size &&
        replyWamids.every((w) => sentWamids.has(w)),
      detail: `${replies.length} messages with a reply row, ${replies.filter((r) => r.n !== 1).length} with ≠ 1, ${otherOutbound} other outbound rows`,
    },
  ];

  // --- figures over the measured (post-warm-up) messages -------------------------------------
  const measured = msgs.filter((m) => !m.warmup && m.replyAt !== undefined);
  const e2e = (m: Msg) => m.replyAt! - m.postAt;
  const overhead = (m: Msg) => e2e(m) - m.llmServiceMs;
  const llmAnswered = measured.filter((m) => m.llmCalls > 0);
  const zeroToken = measured.filter((m) => m.llmCalls === 0);
  const ws = windowStart ?? started;
  const we = windowEnd ?? performance.now();
  const inWindow = measured.filter((m) => m.replyAt! >= ws && m.replyAt! <= we).length;
  const windowSec = (we - ws) / 1000;
  const meanLlmPerMsg =
    measured.reduce((s, m) => s + m.llmServiceMs, 0) / Math.max(1, measured.length);
  const tokens = llmAnswered.map((m) => usage.get(m.wamid)?.tokens ?? 0);
  const tokenSummary = summarize(tokens, 0);
  const mismatches = measured.filter((m) => (usage.get(m.wamid)?.calls ?? 0) !== m.llmCalls).length;
  const cpuMs = (pid: number) => (cpuEnd.get(pid) ?? NaN) - (cpuStart.get(pid) ?? NaN);
  const workerFigures = env.workers.map((w) => ({
    cpuMsPerAnswer: round(cpuMs(w.pid) / Math.max(1, inWindow), 2),
    cpuCoreShare: round(cpuMs(w.pid) / (we - ws), 3),
    rssMbMax: round(rssMax.get(w.pid) ?? NaN, 0),
    rssMbPeakHwm: round(processMemoryMb(w.pid)?.peak ?? NaN, 0),
  }));
  const workerCpu = env.workers.reduce((s, w) => s + cpuMs(w.pid), 0);
  const overheadSummary = summarize(measured.map(overhead));
  const pgCpuMs = await postgresCpuDelta(pgStart, pgEnd);
  // Assigned inside pump(); TypeScript's flow analysis cannot see that.
  const m0 = machineStart as Ticks | null;
  const m1 = machineEnd as Ticks | null;
  const machineBusyPct =
    m0 && m1 && m1.total > m0.total
      ? round(100 * (1 - (m1.idle - m0.idle) / (m1.total - m0.total)), 0)
      : null;
  // A build that ignores WORKER_CONCURRENCY runs BullMQ's worker at the old fixed 8 per process:
  // never more LLM calls in flight than that, however many slots were asked for. (Fewer than
  // the slots but more than 8 is time spent outside the LLM call, not an ignored setting.)
  const defaultCap = OLD_FIXED_CONCURRENCY * cfg.processes;
  const honoured = !(inFlightTarget > defaultCap && maxLlmInFlight <= defaultCap);

  return {
    label,
    processes: cfg.processes,
    concurrency: cfg.concurrency,
    slots,
    messages: total,
    measured: measured.length,
    windowSec: round(windowSec, 2),
    answersPerSec: round(inWindow / windowSec, 1),
    idealAnswersPerSec: round(inFlightTarget / (meanLlmPerMsg / 1000), 1),
    endToEndMs: summarize(measured.map(e2e)),
    overheadMs: overheadSummary,
    overheadLlmAnsweredMs: summarize(llmAnswered.map(overhead)),
    overheadZeroTokenMs: summarize(zeroToken.map(overhead)),
    beforeLlmMs: summarize(llmAnswered.map((m) => (m.firstLlmAtEpoch ?? NaN) - m.postAtEpoch)),
    afterLlmMs: summarize(
      llmAnswered
        .map((m) => (m.replyAtEpoch ?? NaN) - (m.lastLlmEndEpoch ?? NaN))
        .filter(Number.isFinite),
    ),
    webhookPostMs: summarize(measured.map((m) => m.postMs ?? NaN)),
    llmServiceMsPerMessage: summarize(measured.map((m) => m.llmServiceMs)),
    llmCallsPerLlmMessage: round(
      llmAnswered.reduce((s, m) => s + m.llmCalls, 0) / Math.max(1, llmAnswered.length),
      2,
    ),
    maxLlmInFlight,
    meanLlmInFlight: round(meanLlmInFlight, 1),
    concurrencyHonoured: honoured,
    tokensPerLlmAnswer: {
      median: tokenSummary.p50,
      p95: round(percentileOf(tokens, 95), 0),
      n: tokens.length,
    },
    costliestAnswers: llmAnswered
      .map((m) => ({ text: m.text, tokens: usage.get(m.wamid)?.tokens ?? 0, llmCalls: m.llmCalls }))
      .sort((a, b) => b.tokens - a.tokens)
      .slice(0, 5),
    zeroTokenAnswers: zeroToken.length,
    fallbackLevels: Object.fromEntries(levels.map((l) => [l.level ?? 'null', l.n])),
    deferredJobs: deferred0 === null || deferred1 === null ? null : deferred1 - deferred0,
    unattributedLlmCalls: unattributed,
    llmCallsMismatchingTokenUsage: mismatches,
    workers: workerFigures,
    workerCpuMsPerAnswer: round(workerCpu / Math.max(1, inWindow), 2),
    apiCpuMsPerMessage: round(cpuMs(env.api.pid) / Math.max(1, inWindow), 2),
    postgresCpuMsPerAnswer: pgCpuMs === null ? null : round(pgCpuMs / Math.max(1, inWindow), 2),
    benchProcessCpuMsPerAnswer: round(
      selfCpu ? (selfCpu.user + selfCpu.system) / 1000 / Math.max(1, inWindow) : NaN,
      2,
    ),
    machineBusyPct,
    exactlyOnce: { ok: checks.every((c) => c.ok), checks },
    pass: { p50: overheadSummary.p50 < TARGET_P50_MS, p99: overheadSummary.p99 < TARGET_P99_MS },
  };
}

interface ProbeCounters {
  pgQueries: number;
  pgByStatement: Record<string, number>;
  redisCommands: number;
  redisRoundTrips: number;
  redisByCommand: Record<string, number>;
  eventLoopUtilization: number;
}

interface WorkerExplanation {
  config: string;
  answers: number;
  answersPerSec: number;
  overheadMs: Summary;
  perAnswer: {
    pgQueries: number;
    redisRoundTrips: number;
    redisCommands: number;
    llmCalls: number;
    graphRequests: number;
    pgByStatement: Record<string, number>;
    redisByCommand: Record<string, number>;
  };
  eventLoopUtilization: number;
  profile: ProfileSummary;
}

/**
 * A probed 1 × 8 run: PostgreSQL queries and Redis round trips per answer (counted in the
 * worker), HTTP calls to the fakes per answer, and the worker's CPU profile over the run.
 */
async function explainWorker(
  worker: AppProcess,
  total: number,
  shops: BenchShop[],
  env: Env,
): Promise<WorkerExplanation> {
  const dir = join(RESULTS_DIR, 'profiles');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.gitignore'), '*\n');
  const file = join(dir, `pipeline-worker-${runId}.cpuprofile`);
  await worker.request({ cmd: 'reset' });
  await worker.request({ cmd: 'profile-start', intervalUs: 1000 });
  const r = await runConfig({ processes: 1, concurrency: 8 }, 8, total, shops, env);
  await worker.request({ cmd: 'profile-stop', file });
  const c = await worker.request<ProbeCounters>({ cmd: 'counters' });
  // Counters cover the whole run (warm-up included): divide by every message of the run.
  const per = (x: number) => round(x / total, 2);
  const perMap = (m: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(m)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, per(v)]),
    );
  return {
    config: `1 proc × 8, probed, ${total} messages`,
    answers: total,
    answersPerSec: r.answersPerSec,
    overheadMs: r.overheadMs,
    perAnswer: {
      pgQueries: per(c.pgQueries),
      redisRoundTrips: per(c.redisRoundTrips),
      redisCommands: per(c.redisCommands),
      llmCalls: per(env.llm.chatRequests().length),
      graphRequests: per(env.graph.requests.length),
      pgByStatement: perMap(c.pgByStatement),
      redisByCommand: perMap(c.redisByCommand),
    },
    eventLoopUtilization: round(c.eventLoopUtilization, 3),
    profile: summarizeCpuProfile(file, 25),
  };
}

function printExplanation(e: WorkerExplanation): void {
  const p = e.perAnswer;
  console.log(
    `\nWorker explained (${e.config}; ${fmt(e.answersPerSec, 1)} answers/s, overhead p50 ${fmt(e.overheadMs.p50, 1)} ms with the probe on):` +
      `\n  per answer: ${p.pgQueries} PostgreSQL queries, ${p.redisRoundTrips} Redis round trips (${p.redisCommands} commands), ` +
      `${p.llmCalls} LLM calls, ${p.graphRequests} Graph API requests; worker event loop ${fmt(e.eventLoopUtilization * 100, 0)} % busy` +
      `\n  pg: ${JSON.stringify(p.pgByStatement)}\n  redis: ${JSON.stringify(p.redisByCommand)}`,
  );
  console.log(
    `  CPU profile ${e.profile.file} (${e.profile.durationMs} ms, main thread ${e.profile.busyPct} % busy); top self time:`,
  );
  console.log(
    table(
      ['function', 'where', 'category', 'self ms', 'self %'],
      e.profile.topFunctions
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
    `  app functions by inclusive time (synchronous part; awaited I/O shows under its callbacks): ${e.profile.appInclusive
      .slice(0, 8)
      .map((f) => `${f.function} ${fmt(f.totalPct, 1)}%`)
      .join(', ')}`,
  );
  console.log(
    `  by category: ${e.profile.byCategory
      .slice(0, 14)
      .map((x) => `${x.category} ${fmt(x.selfPct, 1)}%`)
      .join(', ')}`,
  );
}

function percentileOf(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
}

/** Most and mean intervals open at once (sweep over start/end events). */
function concurrencyOf(intervals: [number, number][]): { max: number; mean: number } {
  if (intervals.length === 0) return { max: 0, mean: 0 };
  const events = intervals.flatMap(([a, b]): [number, number][] => [
    [a, 1],
    [b, -1],
  ]);
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let open = 0;
  let max = 0;
  let area = 0;
  let last = events[0]![0];
  for (const [t, d] of events) {
    area += open * (t - last);
    last = t;
    open += d;
    max = Math.max(max, open);
  }
  const span = events.at(-1)![0] - events[0]![0];
  return { max, mean: span > 0 ? area / span : 0 };
}

/** CPU time so far of every PostgreSQL backend connected to the run's database, by pid. */
async function postgresCpu(db: Pool): Promise<Map<number, number>> {
  const { rows } = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  return new Map(rows.map((r) => [r.pid, processCpuMs(r.pid) ?? NaN]));
}

/** Backends present at both ends count their difference; ones that appeared count in full. */
async function postgresCpuDelta(
  start: Promise<Map<number, number>> | undefined,
  end: Promise<Map<number, number>> | undefined,
): Promise<number | null> {
  if (!start || !end) return null;
  try {
    const [a, b] = await Promise.all([start, end]);
    let ms = 0;
    for (const [pid, cpu] of b) if (Number.isFinite(cpu)) ms += cpu - (a.get(pid) ?? 0);
    return ms;
  } catch {
    return null;
  }
}

interface Ticks {
  idle: number;
  total: number;
}

/** Machine-wide idle and total CPU ticks (/proc/stat); null off Linux. */
function machineTicks(): Ticks | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return { idle: cpu[3]! + (cpu[4] ?? 0), total: cpu.reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}

/** Jobs put back to wait for an earlier message of their chat, from the workers' /metrics. */
async function deferredJobs(workers: AppProcess[]): Promise<number | null> {
  try {
    let n = 0;
    for (const w of workers) {
      const text = await (
        await fetch(`${w.url}/metrics`, { signal: AbortSignal.timeout(5_000) })
      ).text();
      const m = /^\w*inbound_jobs_total\{[^}]*outcome="deferred"[^}]*\}\s+(\d+)/m.exec(text);
      n += m ? Number(m[1]) : 0;
    }
    return n;
  } catch {
    return null;
  }
}

function printRun(r: RunResult): void {
  const line = (name: string, s: Summary) =>
    `  ${name.padEnd(34)} p50 ${fmt(s.p50, 1).padStart(7)}  p90 ${fmt(s.p90, 1).padStart(7)}  p99 ${fmt(s.p99, 1).padStart(7)}  max ${fmt(s.max, 1).padStart(7)} ms  (n ${s.n})`;
  console.log(
    [
      `  answers/s ${fmt(r.answersPerSec, 1)} over ${fmt(r.windowSec, 1)} s (LLM-bound ideal ${fmt(r.idealAnswersPerSec, 1)}); ` +
        `LLM calls in flight max ${r.maxLlmInFlight}, mean ${fmt(r.meanLlmInFlight, 1)}` +
        (r.concurrencyHonoured
          ? ''
          : `  ← WORKER_CONCURRENCY=${r.concurrency} not honoured by this build`),
      line('end to end (POST → reply at Graph)', r.endToEndMs),
      line('LLM service time per message', r.llmServiceMsPerMessage),
      line(`OUR overhead (target p50<${TARGET_P50_MS}, p99<${TARGET_P99_MS})`, r.overheadMs),
      line('  of which LLM-answered', r.overheadLlmAnsweredMs),
      line('  of which zero-token', r.overheadZeroTokenMs),
      line('  LLM-answered: POST → first LLM call', r.beforeLlmMs),
      line('  LLM-answered: last LLM call → reply', r.afterLlmMs),
      line('webhook POST', r.webhookPostMs),
      `  tokens per LLM answer: median ${r.tokensPerLlmAnswer.median}, p95 ${r.tokensPerLlmAnswer.p95} (n ${r.tokensPerLlmAnswer.n}); ` +
        `costliest "${r.costliestAnswers[0]?.text ?? ''}" ${r.costliestAnswers[0]?.tokens ?? 0}; ` +
        `LLM calls per LLM answer ${r.llmCallsPerLlmMessage}; levels ${JSON.stringify(r.fallbackLevels)}; deferred jobs ${r.deferredJobs ?? 'n/a'}`,
      `  worker CPU ${fmt(r.workerCpuMsPerAnswer, 2)} ms/answer (${r.workers.map((w) => `${fmt(w.cpuCoreShare * 100, 0)}% of a core, RSS max ${w.rssMbMax} MB`).join('; ')}); api CPU ${fmt(r.apiCpuMsPerMessage, 2)} ms/message`,
      `  CPU per answer elsewhere: PostgreSQL ${fmt(r.postgresCpuMsPerAnswer, 2)} ms, this process (driver + fakes) ${fmt(r.benchProcessCpuMsPerAnswer, 2)} ms; machine ${r.machineBusyPct ?? 'n/a'} % busy over the window`,
      `  attribution: ${r.unattributedLlmCalls} LLM calls unattributed, ${r.llmCallsMismatchingTokenUsage} messages whose call count ≠ token_usage rows`,
      ...r.exactlyOnce.checks.map((c) => `  [${c.ok ? 'ok' : 'FAIL'}] ${c.name}: ${c.detail}`),
    ].join('\n'),
  );
}

function printSummary(results: RunResult[]): void {
  console.log(
    `\n${table(
      [
        'config',
        'msgs',
        'answers/s',
        'ideal/s',
        'LLM in flight',
        'overhead p50',
        'p99',
        'pass',
        'tokens p50/p95',
        'worker cpu ms/ans',
        'pg cpu ms/ans',
        'RSS MB',
        'once',
      ],
      results.map((r) => [
        r.label,
        String(r.messages),
        fmt(r.answersPerSec, 1),
        fmt(r.idealAnswersPerSec, 1),
        `${r.maxLlmInFlight}${r.concurrencyHonoured ? '' : '!'}`,
        fmt(r.overheadMs.p50, 1),
        fmt(r.overheadMs.p99, 1),
        `${r.pass.p50 ? 'ok' : 'FAIL'}/${r.pass.p99 ? 'ok' : 'FAIL'}`,
        `${r.tokensPerLlmAnswer.median}/${r.tokensPerLlmAnswer.p95}`,
        fmt(r.workerCpuMsPerAnswer, 2),
        fmt(r.postgresCpuMsPerAnswer, 2),
        r.workers.map((w) => String(w.rssMbMax)).join('+'),
        r.exactlyOnce.ok ? 'ok' : 'FAIL',
      ]),
    )}`,
  );
  console.log(
    `overhead = end to end − fake LLM service time (ms); ideal/s = slots ÷ mean LLM time per message; "!" = LLM calls in flight capped at the old fixed 8 per process (WORKER_CONCURRENCY not honoured by this build).`,
  );
}

void main().then(() => process.exit());
