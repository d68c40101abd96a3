import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** A setup problem the demo explains in one paragraph and exits 1 for (never a stack trace). */
export class DemoSetupError extends Error {
  override name = 'DemoSetupError';
}

/** A process the demo started and must stop, whatever way the demo ends. */
export interface OwnedProcess {
  name: string;
  child: ChildProcess;
  /** Stops it gently and waits; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const owned = new Set<OwnedProcess>();

/**
 * Spawns a service in its own process group (Ctrl-C reaches the demo, which stops the app
 * before its database), remembered so that even an unexpected exit kills it.
 */
export function spawnOwned(
  name: string,
  command: string,
  args: string[],
  options: { uid?: number; gid?: number; cwd?: string; stopSignal?: NodeJS.Signals } = {},
): OwnedProcess {
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
  const proc: OwnedProcess = {
    name,
    child,
    async stop(graceMs = 10_000) {
      owned.delete(proc);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(options.stopSignal ?? 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  owned.add(proc);
  child.once('exit', () => owned.delete(proc));
  return proc;
}

/** Last resort on process exit: no service the demo started outlives it. */
export function killOwnedNow(): void {
  for (const p of owned) {
    try {
      p.child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  owned.clear();
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
