import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

/** Repository root (bench/support/ → ../..). */
export const ROOT = join(__dirname, '..', '..');
export const RESULTS_DIR = join(ROOT, 'bench', 'results');

/** BENCH_QUICK=1: short rounds and small N, for a smoke run in minutes (numbers not quotable). */
export const QUICK = process.env.BENCH_QUICK === '1';

/** One figure of a benchmark as the summary table shows it. */
export interface Headline {
  /** What was measured, e.g. "webhook req/s, 10 conns (product / bare)". */
  figure: string;
  value: number | null;
  unit: string;
  /** Human-readable target, e.g. "≤ 5 ms"; null when the figure is informative only. */
  target: string | null;
  /** The same-run baseline it is read against, in words (e.g. "bare floor 2,210 req/s"). */
  baseline: string | null;
  /** null: no target to pass or fail. */
  pass: boolean | null;
}

export interface RunInfo {
  benchmark: string;
  startedAt: string;
  finishedAt?: string;
  commit: string;
  /** Uncommitted changes outside bench/results when the run started (numbers may not match the commit). */
  dirty: boolean;
  quick: boolean;
  node: string;
  platform: string;
  cpus: string;
  loadAvgBefore: number[];
  loadAvgAfter?: number[];
}

/** Taken when a benchmark starts; `finish` adds the end time and load average. */
export function startRun(benchmark: string): RunInfo {
  const info: RunInfo = {
    benchmark,
    startedAt: new Date().toISOString(),
    commit: git(['rev-parse', 'HEAD']),
    dirty: isDirty(),
    quick: QUICK,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    loadAvgBefore: loadAverage(),
  };
  const busy = info.loadAvgBefore[0]! > cpus().length * 0.5;
  console.log(
    `[${benchmark}] commit ${info.commit.slice(0, 10)}${info.dirty ? ' (dirty tree)' : ''}, ` +
      `${info.cpus}, load ${info.loadAvgBefore.join(' ')}${busy ? ' — machine busy, numbers will be skewed' : ''}` +
      `${QUICK ? ', QUICK mode (smoke run, do not quote)' : ''}`,
  );
  return info;
}

export function loadAverage(): number[] {
  return loadavg().map((n) => Math.round(n * 100) / 100);
}

/**
 * Writes bench/results/<name>.json: the run info, the headline figures and the details. The
 * summary of `npm run bench` is built from these files.
 */
export function writeResult(
  name: string,
  info: RunInfo,
  headlines: Headline[],
  details: Record<string, unknown>,
): string {
  info.finishedAt = new Date().toISOString();
  info.loadAvgAfter = loadAverage();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify({ ...info, headlines, ...details }, null, 2)}\n`);
  console.log(`\nWrote ${file} (load average after: ${info.loadAvgAfter.join(' ')})`);
  return file;
}

export function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** Tracked or untracked changes, except the results the benchmarks themselves write. */
export function isDirty(): boolean {
  const status = git(['status', '--porcelain', '--', '.', ':(exclude)bench/results']);
  return status !== '' && status !== 'unknown';
}
