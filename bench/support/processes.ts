import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../dev/support/redis-server';
import { ROOT } from './run-info';
import { sleep } from './stats';

/**
 * Child processes of a benchmark: the compiled app (what production runs), the bare floor
 * server, the fakes. Each is its own process so the load generator never shares their event
 * loop, and so their CPU time and memory can be read from /proc.
 */

/**
 * Where the app under test lives: this checkout, or BENCH_APP_ROOT (e.g. an export of another
 * commit with node_modules linked in) to measure another build with these benchmarks.
 */
export const APP_ROOT = process.env.BENCH_APP_ROOT ?? ROOT;

/** The commit of the app under test (BENCH_APP_COMMIT when APP_ROOT is not a git checkout). */
export function appCommit(): string {
  if (process.env.BENCH_APP_COMMIT) return process.env.BENCH_APP_COMMIT;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: APP_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** `npm run build` once per benchmark run (BENCH_SKIP_BUILD=1 when the caller just built). */
export function ensureBuild(): void {
  if (APP_ROOT !== ROOT) console.log(`App under test: ${APP_ROOT} (commit ${appCommit()}).`);
  if (process.env.BENCH_SKIP_BUILD === '1') {
    console.log('Using the existing dist/ (BENCH_SKIP_BUILD=1).');
    return;
  }
  console.log('Building (npm run build) so the app runs as production does, from dist/…');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: APP_ROOT, stdio: 'inherit' });
}

export interface ChildOptions {
  name: string;
  /** Arguments to `node` (flags, script, script arguments). */
  args: string[];
  env: Record<string, string>;
  /** Open an IPC channel (the bench-only probe answers on it). */
  ipc?: boolean;
  cwd?: string;
}

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  logFile: string;
  /** Asks the child's probe something over IPC and waits for its answer. */
  request<T>(message: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
  exited(): boolean;
  tail(lines?: number): string;
}

let counter = 0;

export function spawnNode(options: ChildOptions): Child {
  const logFile = join(
    tmpdir(),
    `changarrito-bench-${process.pid}-${++counter}-${options.name}.log`,
  );
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: options.ipc ? ['ignore', fd, fd, 'ipc'] : ['ignore', fd, fd],
  });
  closeSync(fd);
  let exitedFlag = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exitedFlag = true;
      resolve();
    }),
  );
  let nextId = 0;
  const pending = new Map<number, (v: unknown) => void>();
  child.on('message', (m: { id?: number; result?: unknown }) => {
    if (typeof m?.id === 'number') pending.get(m.id)?.(m.result);
    if (typeof m?.id === 'number') pending.delete(m.id);
  });
  return {
    name: options.name,
    pid: child.pid!,
    process: child,
    logFile,
    request<T>(message: Record<string, unknown>, timeoutMs = 30_000): Promise<T> {
      const id = ++nextId;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${options.name} did not answer ${JSON.stringify(message)}`));
        }, timeoutMs);
        pending.set(id, (v) => {
          clearTimeout(timer);
          resolve(v as T);
        });
        child.send({ ...message, id });
      });
    },
    async stop(graceMs = 10_000) {
      if (exitedFlag) return;
      child.kill('SIGTERM');
      const killed = await Promise.race([exit.then(() => true), sleep(graceMs).then(() => false)]);
      if (!killed && !exitedFlag) {
        child.kill('SIGKILL');
        await exit;
      }
    },
    exited: () => exitedFlag,
    tail(lines = 30) {
      try {
        return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
  };
}

export interface AppProcess extends Child {
  url: string;
  role: 'api' | 'worker' | 'all';
}

/** The probe preload (pg/ioredis counters, CPU profiler) for `startCompiledApp({ probe })`. */
export const PROBE_PRELOAD = join(ROOT, 'bench', 'support', 'ingest-probe.js');

/**
 * Starts `node dist/src/main.js` (the production entry point) with the given role and
 * environment on a free port, and waits until /health answers 200 (PostgreSQL and Redis up).
 */
export async function startCompiledApp(options: {
  name: string;
  role: 'api' | 'worker' | 'all';
  env: Record<string, string>;
  /** Load bench/support/ingest-probe.js first (adds an IPC channel). */
  probe?: boolean;
  nodeFlags?: string[];
}): Promise<AppProcess> {
  const port = await freePort();
  const args = [
    ...(options.nodeFlags ?? []),
    ...(options.probe ? ['--require', PROBE_PRELOAD] : []),
    join(APP_ROOT, 'dist', 'src', 'main.js'),
  ];
  const child = spawnNode({
    name: options.name,
    args,
    env: { ...options.env, NODE_ENV: 'production', APP_ROLE: options.role, PORT: String(port) },
    ipc: options.probe,
    cwd: APP_ROOT,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(child, url);
  return { ...child, url, role: options.role };
}

export async function waitForHealth(child: Child, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exited()) {
      throw new Error(`${child.name} exited during start-up:\n${child.tail()}`);
    }
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`${child.name} not healthy after ${timeoutMs} ms:\n${child.tail()}`);
    }
    await sleep(100);
  }
}

// --- /proc readings (Linux) -------------------------------------------------------------

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** utime + stime of a whole process (all threads), ms; null when /proc is not there. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "(comm)": state is field 3; utime is 14 and stime 15 (1-based in proc(5)).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond();
  } catch {
    return null;
  }
}

/** Resident set size now and its high-water mark, MiB; null when /proc is not there. */
export function processMemoryMb(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}
