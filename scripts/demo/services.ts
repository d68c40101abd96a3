import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';

/** A setup problem the demo explains in one paragraph and exits 1 for (never a stack trace). */
export class DemoSetupError extends Error {
  override name = 'DemoSetupError';
}

/** A process the demo started and must stop, whatever way the demo ends. */
export interface OwnedProcess {
  name: string;
  child: ChildProcess;
  /** The `sh` that stops it if the demo dies without stopping it (SIGKILL, crash). */
  watchdog: ChildProcess | null;
  /** Stops it gently and waits; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const owned = new Set<OwnedProcess>();

/**
 * The watchdog of one service: a `sh` whose stdin is a pipe only the demo holds. The demo
 * never writes to it, so `read` blocks until the pipe closes, which the kernel does when the
 * demo ends in any way, SIGKILL and crashes included (no polling, no pid that could be
 * reused). It then stops the service with its stop signal, gives it `grace` tenths of a
 * second, SIGKILLs its process group (PostgreSQL's backends with it) and removes the
 * service's temporary folder, if it has one. On a normal stop the demo kills the watchdog
 * first, so it never signals a pid the service no longer has.
 */
const WATCHDOG_SCRIPT = [
  'while read -r _; do :; done',
  'kill -s "$2" "$1" 2>/dev/null || { [ -n "$4" ] && rm -rf -- "$4"; exit 0; }',
  'i=0',
  'while kill -0 "$1" 2>/dev/null && [ "$i" -lt "$3" ]; do sleep 0.1; i=$((i+1)); done',
  'kill -s KILL -- "-$1" 2>/dev/null || kill -s KILL "$1" 2>/dev/null',
  '[ -n "$4" ] && rm -rf -- "$4"',
  'exit 0',
].join('\n');

function startWatchdog(
  pid: number,
  signal: NodeJS.Signals,
  graceMs: number,
  cleanupDir: string | undefined,
): ChildProcess {
  const args = [String(pid), signal.replace(/^SIG/, ''), String(Math.ceil(graceMs / 100))];
  const dog = spawn('sh', ['-c', WATCHDOG_SCRIPT, 'demo-watchdog', ...args, cleanupDir ?? ''], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  dog.on('error', () => undefined);
  dog.stdin?.on('error', () => undefined);
  // Neither the watchdog nor its pipe keeps the demo's event loop alive.
  dog.unref();
  (dog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return dog;
}

function killQuietly(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    child.kill(signal);
  } catch {
    // already gone
  }
}

/**
 * Spawns a service in its own process group (Ctrl-C reaches the demo, which stops the app
 * before its database), remembered so that even an unexpected exit kills it. With
 * `watchdog`, a SIGKILLed demo does not leave it behind either (see WATCHDOG_SCRIPT).
 */
export function spawnOwned(
  name: string,
  command: string,
  args: string[],
  options: {
    uid?: number;
    gid?: number;
    cwd?: string;
    stopSignal?: NodeJS.Signals;
    /** Stop the service when the demo's process disappears; remove `cleanupDir` then. */
    watchdog?: { cleanupDir?: string };
  } = {},
): OwnedProcess {
  const stopSignal = options.stopSignal ?? 'SIGTERM';
  const child = spawn(command, args, {
    cwd: options.cwd,
    uid: options.uid,
    gid: options.gid,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const dog =
    options.watchdog && child.pid !== undefined
      ? startWatchdog(child.pid, stopSignal, 10_000, options.watchdog.cleanupDir)
      : null;
  const proc: OwnedProcess = {
    name,
    child,
    watchdog: dog,
    async stop(graceMs = 10_000) {
      owned.delete(proc);
      if (dog) killQuietly(dog, 'SIGKILL');
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(stopSignal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  owned.add(proc);
  child.once('exit', () => {
    owned.delete(proc);
    // The service is gone: its pid may be reused, so its watchdog must not outlive it.
    if (dog) killQuietly(dog, 'SIGKILL');
  });
  return proc;
}

/** Last resort on process exit: no service the demo started outlives it. */
export function killOwnedNow(): void {
  for (const p of owned) {
    if (p.watchdog) killQuietly(p.watchdog, 'SIGKILL');
    killQuietly(p.child, 'SIGKILL');
  }
  owned.clear();
}

/** A process's argv from /proc (Linux); null when it is gone or there is no /proc. */
export function processArgv(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Stops a service an earlier demo left running (one whose watchdog was killed too): `signal`,
 * then SIGKILL after `graceMs`. The caller has checked, by its command line, that `pid` is
 * that service and not a process that reused the number.
 */
export async function stopLeftover(
  pid: number,
  signal: NodeJS.Signals,
  graceMs = 10_000,
): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

export async function freePort(preferred?: number): Promise<number> {
  const attempt = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
  if (preferred !== undefined) {
    try {
      return await attempt(preferred);
    } catch {
      // taken: any free port will do
    }
  }
  return attempt(0);
}

/** Something accepts TCP connections on host:port (within timeoutMs). */
export function tcpAnswers(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('error', () => done(false));
    s.connect(port, host, () => done(true));
  });
}

export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  failed?: () => string | null,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    const reason = failed?.();
    if (reason) throw new DemoSetupError(`${what} failed: ${reason}`);
    if (Date.now() > deadline) throw new DemoSetupError(`${what} did not come up in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The last lines a child wrote, to explain why it stopped. */
export function tail(proc: OwnedProcess, lines = 8): () => string {
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString('utf8')).slice(-4000);
  };
  proc.child.stdout?.on('data', keep);
  proc.child.stderr?.on('data', keep);
  return () => out.trim().split('\n').slice(-lines).join('\n');
}
