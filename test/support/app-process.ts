import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../dev/support/redis-server';
import type { AppConfig } from '../../src/config/config.module';

const ROOT = join(__dirname, '..', '..');

/** The real application (src/main.ts) as a child process of the test, on a port of its own. */
export interface AppProcess {
  child: ChildProcess;
  url: string;
  /** Resolves with how the process ended (the time it ended, in ms since the epoch). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** SIGKILL if still running, and wait for the exit. */
  kill(): Promise<void>;
}

/**
 * Spawns `src/main.ts` with the test run's environment (database, secrets) plus `env`, and
 * waits until GET /health/live answers 200. Logs go to the test's stderr only when
 * FAULTS_VERBOSE=1 (they are silent by default, like the in-process apps).
 */
export async function spawnApp(
  role: AppConfig['APP_ROLE'],
  env: Record<string, string>,
  startTimeoutMs = 90_000,
): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, APP_ROLE: role, PORT: String(port) },
    stdio: process.env.FAULTS_VERBOSE === '1' ? 'inherit' : 'ignore',
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (gone) throw new Error(`${role} process exited while starting`);
    const up = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(1_000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${role} process did not come up within ${startTimeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    url,
    exited,
    async kill() {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
  };
}
