import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Socket } from 'node:net';
import {
  DemoSetupError,
  freePort,
  type OwnedProcess,
  processArgv,
  spawnOwned,
  stopLeftover,
  tail,
  waitUntil,
} from './services';

export interface DemoRedis {
  url: string;
  describe: string;
  process: OwnedProcess | null;
  stop(): Promise<void>;
}

export const LOCAL_DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export const NO_REDIS_PARAGRAPH =
  'The demo needs Redis (the message queue), and none is answering: not REDIS_URL, not ' +
  '127.0.0.1:6379, and there is no `redis-server` on PATH to start one. Install it ' +
  '(Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`) and run ' +
  '`npm run demo` again, or start one with Docker: `docker compose up -d redis`.';

/**
 * REDIS_URL if set and answering; else the local default if answering; else a redis-server
 * found on PATH, on a free port with a temporary folder, stopped with the demo.
 */
export async function resolveRedis(options: {
  redisUrl: string | undefined;
  tryLocalDefault: boolean;
  log: (line: string) => void;
  /** Where the pidfile of the redis-server the demo starts is kept (the demo's data folder). */
  runDir: string;
}): Promise<DemoRedis> {
  if (options.redisUrl) {
    if (await pings(options.redisUrl)) return external(options.redisUrl, 'REDIS_URL');
    options.log(`REDIS_URL (${options.redisUrl.replace(/\/\/[^@]*@/, '//***@')}) does not answer.`);
  }
  if (options.tryLocalDefault && (await pings(LOCAL_DEFAULT_REDIS_URL))) {
    return external(LOCAL_DEFAULT_REDIS_URL, 'the local Redis (127.0.0.1:6379)');
  }
  const command = redisServerOnPath();
  if (!command) throw new DemoSetupError(NO_REDIS_PARAGRAPH);
  const pidFile = join(options.runDir, 'redis-server.pid');
  await stopLeftoverRedis(pidFile, options.log);
  const dir = mkdtempSync(join(tmpdir(), 'changarrito-demo-redis-'));
  const port = await freePort();
  const server = spawnOwned(
    'redis-server',
    command,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ],
    { cwd: dir, watchdog: { cleanupDir: dir } },
  );
  const output = tail(server);
  const url = `redis://127.0.0.1:${port}`;
  await waitUntil(
    () => pings(url),
    10_000,
    'redis-server',
    () => (server.child.exitCode !== null ? `it exited:\n${output()}` : null),
  );
  mkdirSync(options.runDir, { recursive: true });
  writeFileSync(pidFile, JSON.stringify({ pid: server.child.pid, port, dir }) + '\n');
  return {
    url,
    describe: `redis-server started by the demo (pid ${server.child.pid}, port ${port})`,
    process: server,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
      rmSync(pidFile, { force: true });
    },
  };
}

/**
 * Second line of defence after the watchdog: the redis-server an earlier demo left running
 * (its watchdog killed too), from the pidfile, confirmed by its command line (redis-server
 * shows "redis-server 127.0.0.1:<port>") so a reused pid is never signalled.
 */
async function stopLeftoverRedis(pidFile: string, log: (line: string) => void): Promise<void> {
  let left: { pid?: unknown; port?: unknown; dir?: unknown };
  try {
    left = JSON.parse(readFileSync(pidFile, 'utf8')) as typeof left;
  } catch {
    return;
  }
  rmSync(pidFile, { force: true });
  const { pid, port, dir } = left;
  if (typeof pid !== 'number' || typeof port !== 'number') return;
  const argv = processArgv(pid);
  if (argv && argv.join(' ').includes(`redis-server 127.0.0.1:${port}`)) {
    log(`Stopping the redis-server an earlier demo left running (pid ${pid})…`);
    await stopLeftover(pid, 'SIGTERM');
  }
  if (typeof dir === 'string' && dir.includes('changarrito-demo-redis-')) {
    await rm(dir, { recursive: true, force: true });
  }
}

function external(url: string, what: string): DemoRedis {
  return { url, describe: what, process: null, stop: async () => {} };
}

function redisServerOnPath(): string | null {
  try {
    return (
      execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null
    );
  } catch {
    return null;
  }
}

/** PING answered with PONG (or NOAUTH: a Redis that wants the password in the URL). */
function pings(url: string): Promise<boolean> {
  const u = new URL(url);
  if (u.protocol === 'rediss:') return Promise.resolve(true); // TLS: let the app's client judge
  const password = decodeURIComponent(u.password);
  const user = decodeURIComponent(u.username);
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1_500, () => done(false));
    s.once('error', () => done(false));
    s.connect(Number(u.port || 6379), u.hostname, () => {
      if (password) s.write(`AUTH ${user ? `${user} ` : ''}${password}\r\n`);
      s.write('PING\r\n');
    });
    s.on('data', (d) => {
      const text = d.toString();
      if (text.includes('+PONG')) done(true);
      else if (text.startsWith('-')) done(false);
    });
  });
}
