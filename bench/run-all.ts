/**
 * `npm run bench`: every benchmark, one after the other, then one summary table.
 *
 * Builds once (the webhook and pipeline benches run the compiled app), then runs intents,
 * webhook, assistant, pipeline and gateway as child processes (each writes
 * bench/results/<name>.json with the commit and a dirty flag), and prints every headline figure
 * with its target, its same-run baseline and pass/fail. Writes bench/results/summary.json.
 *
 * BENCH_QUICK=1: short rounds and small N, a smoke run in minutes (not for quoting).
 * BENCH_ONLY=webhook,gateway: a subset; the others keep their last results in the summary,
 * marked with * and their own commit and time. BENCH_QUIET_WAIT_SEC (default 120, 0 in quick mode):
 * before each benchmark, wait up to this long for the shared machine to go quiet (CPU < 40 %
 * busy over 2 s); the CPU busy share seen is recorded either way.
 * BENCH_APP_ROOT (+ BENCH_APP_COMMIT): the compiled app the webhook and pipeline benches run
 * comes from that directory (another commit exported with node_modules linked in).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ensureBuild } from './support/processes';
import {
  type Headline,
  QUICK,
  RESULTS_DIR,
  ROOT,
  startRun,
  loadAverage,
  writeResult,
} from './support/run-info';
import { fmt, numberEnv, sleep, table } from './support/stats';

const ALL = ['intents', 'webhook', 'assistant', 'pipeline', 'gateway'] as const;
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const QUIET_WAIT_SEC = numberEnv('BENCH_QUIET_WAIT_SEC', QUICK ? 0 : 120);

interface BenchOutcome {
  name: string;
  exitCode: number | null;
  seconds: number;
  /** Share of all CPUs busy (anyone's work) just before it started. */
  machineBusyBeforePct: number;
  loadAvgBefore: number[];
  commit?: string;
  dirty?: boolean;
  headlines: Headline[];
  error?: string;
  /** Not run this time (BENCH_ONLY): the start time of the earlier result shown instead. */
  reusedFrom?: string | null;
}

async function main(): Promise<void> {
  const info = startRun('summary');
  ensureBuild();
  const outcomes: BenchOutcome[] = [];
  for (const name of ALL) {
    if (ONLY && !ONLY.includes(name)) {
      outcomes.push(reuse(name));
      continue;
    }
    const busy = await waitForQuiet();
    const loadAvgBefore = loadAverage();
    console.log(
      `\n════ bench:${name} ════ (machine ${fmt(busy, 0)} % busy, load ${loadAvgBefore.join(' ')})`,
    );
    const started = Date.now();
    const child = spawnSync(
      process.execPath,
      ['--require', 'ts-node/register/transpile-only', join('bench', `${name}.bench.ts`)],
      { cwd: ROOT, stdio: 'inherit', env: { ...process.env, BENCH_SKIP_BUILD: '1' } },
    );
    const outcome: BenchOutcome = {
      name,
      exitCode: child.status,
      seconds: Math.round((Date.now() - started) / 1000),
      machineBusyBeforePct: Math.round(busy),
      loadAvgBefore,
      headlines: [],
    };
    const file = join(RESULTS_DIR, `${name}.json`);
    try {
      if (!existsSync(file)) throw new Error('no result file');
      const result = JSON.parse(readFileSync(file, 'utf8')) as {
        startedAt?: string;
        commit?: string;
        dirty?: boolean;
        headlines?: Headline[];
      };
      // A result older than this run belongs to another run: the benchmark failed before writing.
      if (!result.startedAt || Date.parse(result.startedAt) < started - 1_000) {
        throw new Error('result file is from an earlier run');
      }
      outcome.commit = result.commit;
      outcome.dirty = result.dirty;
      outcome.headlines = result.headlines ?? [];
    } catch (err) {
      outcome.error = (err as Error).message;
    }
    outcomes.push(outcome);
  }

  const rows = outcomes.flatMap((o) =>
    o.headlines.length
      ? o.headlines.map((h) => [
          o.reusedFrom ? `${o.name}*` : o.name,
          h.figure,
          h.value === null
            ? ''
            : `${fmt(h.value, h.value >= 100 ? 0 : h.value >= 10 ? 1 : 3)} ${h.unit}`,
          h.target ?? '—',
          h.baseline ?? '—',
          h.pass === null ? '—' : h.pass ? 'PASS' : 'FAIL',
        ])
      : [
          [
            o.name,
            `(no figures: exit ${o.exitCode}${o.error ? `, ${o.error}` : ''})`,
            '',
            '',
            '',
            'FAIL',
          ],
        ],
  );
  console.log(
    `\n${'═'.repeat(30)} SUMMARY ${QUICK ? '(QUICK mode: smoke run, do not quote) ' : ''}${'═'.repeat(30)}`,
  );
  console.log(table(['bench', 'figure', 'value', 'target', 'same-run baseline', 'pass'], rows));
  const reused = outcomes.filter((o) => o.reusedFrom);
  if (reused.length) {
    console.log(
      `* not run now (BENCH_ONLY): ${reused.map((o) => `${o.name} from ${o.reusedFrom} (commit ${o.commit?.slice(0, 10) ?? '?'}${o.dirty ? ', dirty' : ''})`).join('; ')}`,
    );
  }
  console.log(
    `\ncommit ${info.commit.slice(0, 10)}${info.dirty ? ' (DIRTY tree)' : ''}; ${cpus().length} CPUs; ` +
      outcomes
        .filter((o) => !o.reusedFrom)
        .map(
          (o) =>
            `${o.name} ${o.seconds} s, ${o.machineBusyBeforePct} % busy before, exit ${o.exitCode}`,
        )
        .join('; '),
  );
  const failed = outcomes.some(
    (o) => o.exitCode !== 0 || o.error || o.headlines.some((h) => h.pass === false),
  );
  writeResult(
    'summary',
    info,
    outcomes.flatMap((o) => o.headlines),
    { benchmarks: outcomes },
  );
  if (outcomes.some((o) => o.exitCode !== 0 || o.error)) process.exitCode = 1;
  else if (failed) console.log('Some targets were missed (see FAIL above).');
}

/**
 * A benchmark left out by BENCH_ONLY keeps its last result in the summary, marked as reused
 * with its own commit and time, so re-running one noisy benchmark does not lose the others.
 */
function reuse(name: string): BenchOutcome {
  const outcome: BenchOutcome = {
    name,
    exitCode: null,
    seconds: 0,
    machineBusyBeforePct: NaN,
    loadAvgBefore: [],
    headlines: [],
    reusedFrom: null,
  };
  try {
    const result = JSON.parse(readFileSync(join(RESULTS_DIR, `${name}.json`), 'utf8')) as {
      startedAt?: string;
      commit?: string;
      dirty?: boolean;
      headlines?: Headline[];
    };
    outcome.commit = result.commit;
    outcome.dirty = result.dirty;
    outcome.headlines = result.headlines ?? [];
    outcome.reusedFrom = result.startedAt ?? 'unknown';
    outcome.exitCode = 0;
  } catch (err) {
    outcome.error = `not run (BENCH_ONLY) and no earlier result: ${(err as Error).message}`;
  }
  return outcome;
}

/** Share of CPU time spent busy, machine-wide, over `ms` (from /proc/stat). */
async function machineBusyPct(ms = 2_000): Promise<number> {
  const read = () => {
    try {
      const cpu = readFileSync('/proc/stat', 'utf8')
        .split('\n')[0]!
        .split(/\s+/)
        .slice(1)
        .map(Number);
      const idle = cpu[3]! + (cpu[4] ?? 0);
      return { idle, total: cpu.reduce((a, b) => a + b, 0) };
    } catch {
      return null;
    }
  };
  const a = read();
  await sleep(ms);
  const b = read();
  if (!a || !b || b.total === a.total) return NaN;
  return 100 * (1 - (b.idle - a.idle) / (b.total - a.total));
}

async function waitForQuiet(): Promise<number> {
  const deadline = Date.now() + QUIET_WAIT_SEC * 1000;
  let busy = await machineBusyPct();
  while (busy > 40 && Date.now() < deadline) {
    console.log(`Machine ${fmt(busy, 0)} % busy (other work); waiting for it to go quiet…`);
    await sleep(5_000);
    busy = await machineBusyPct();
  }
  return busy;
}

void main().then(
  () => process.exit(),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
