import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../dev/support/redis-server';
import { eventually } from '../../dev/support/app-harness';

const hasRedisServer = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasRedisServer) console.warn('Skipping the bare-machine demo test: no redis-server on PATH');

const hasBash = existsSync('/bin/bash');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Pids of the demo's watchdogs (`sh -c … demo-watchdog <pid> …`) watching `pid`. */
function watchdogsOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const at = argv.indexOf('demo-watchdog');
      if (at >= 0 && argv[at + 1] === String(pid)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

interface RunningDemo {
  child: ChildProcessWithoutNullStreams;
  /** Started as its own process group (npm run demo): signals go to the group. */
  group: boolean;
  url: string;
  pgPid: number;
  redisPid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/**
 * `npm run demo` on a machine whose PostgreSQL and Redis do not answer: DATABASE_URL and
 * REDIS_URL point at closed ports and --no-local skips 5432/6379, so it must come up on the
 * embedded PostgreSQL and a redis-server of its own, answer a question, and leave nothing
 * running after Ctrl-C (exit 0) or after being SIGKILLed (its watchdogs stop the services).
 */
(hasRedisServer ? describe : describe.skip)('npm run demo on a bare machine', () => {
  let dir: string;
  const started: RunningDemo[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'demo-bare-'));
    chmodSync(dir, 0o755); // the unprivileged PostgreSQL user must reach it when run as root
  });
  afterAll(() => {
    for (const demo of started) {
      if (demo.child.exitCode === null && demo.child.signalCode === null) {
        if (demo.group) process.kill(-demo.child.pid!, 'SIGKILL');
        else demo.child.kill('SIGKILL');
      }
      for (const pid of [demo.pgPid, demo.redisPid])
        if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * `via: 'npm'` runs `npm run demo` the way a terminal does, in its own process group with
   * bash as npm's script shell (as where /bin/sh is bash: bash execs the demo, so npm's
   * forwarded SIGINT and the terminal's both reach it), and Ctrl-C goes to the whole group.
   */
  async function startDemo(via: 'node' | 'npm' = 'node'): Promise<RunningDemo> {
    const [pgPort, redisPort] = [await freePort(), await freePort()];
    const args = ['--no-local', '--port', '0', '--data-dir', dir];
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/nothing`,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    };
    const options = { cwd: join(__dirname, '..', '..'), stdio: 'pipe' as const };
    const child =
      via === 'npm'
        ? spawn('npm', ['run', 'demo', '--', ...args], {
            ...options,
            detached: true,
            env: { ...env, npm_config_script_shell: '/bin/bash' },
          })
        : spawn(
            process.execPath,
            ['-r', 'ts-node/register/transpile-only', 'scripts/demo.ts', ...args],
            { ...options, env },
          );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.once('exit', (code, signal) => r({ code, signal })),
    );
    const demo: RunningDemo = {
      child,
      group: via === 'npm',
      url: '',
      pgPid: 0,
      redisPid: 0,
      exited,
      output: () => out,
    };
    started.push(demo);
    demo.url = await eventually(
      () => {
        if (child.exitCode !== null) throw new Error(`the demo exited (${child.exitCode})`);
        return /Open (http:\/\/127\.0\.0\.1:\d+)\/simulator\//.exec(out)?.[1];
      },
      150_000,
      'the demo URL',
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${out}`);
    });
    demo.pgPid = Number(/embedded PostgreSQL \(pid (\d+)/.exec(out)?.[1]);
    demo.redisPid = Number(/redis-server started by the demo \(pid (\d+)/.exec(out)?.[1]);
    expect(demo.pgPid).toBeGreaterThan(0);
    expect(demo.redisPid).toBeGreaterThan(0);
    expect(alive(demo.pgPid) && alive(demo.redisPid)).toBe(true);
    return demo;
  }

  async function askOnce(url: string): Promise<void> {
    expect((await fetch(`${url}/simulator/`)).status).toBe(200);
    const sent = (await (
      await fetch(`${url}/demo/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: { type: 'text', text: { body: '¿cuánto vendí hoy?' } } }),
      })
    ).json()) as { wamid: string; webhookStatus: number };
    expect(sent.webhookStatus).toBe(200);
    const answer = await eventually(
      async () => {
        const d = (await (await fetch(`${url}/demo/answers/${sent.wamid}`)).json()) as {
          status: string;
          replies: { wamid: string | null }[];
        };
        return d.status === 'processed' && d.replies[0]?.wamid ? d : null;
      },
      30_000,
      'the answer',
    );
    expect(answer.replies[0].wamid).toMatch(/^wamid\./);
  }

  it('`npm run demo` uses embedded PostgreSQL and its own redis-server, answers, and after one Ctrl-C exits 0 leaving nothing', async () => {
    const demo = await startDemo(hasBash ? 'npm' : 'node');
    await askOnce(demo.url);
    expect(watchdogsOf(demo.pgPid)).toHaveLength(1);
    expect(watchdogsOf(demo.redisPid)).toHaveLength(1);

    // Ctrl-C: the terminal signals the whole foreground group (npm and the demo).
    if (demo.group) process.kill(-demo.child.pid!, 'SIGINT');
    else demo.child.kill('SIGINT');
    const { code, signal } = await demo.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // The demo waited for both before exiting: they are gone now, watchdogs included.
    expect(alive(demo.pgPid)).toBe(false);
    expect(alive(demo.redisPid)).toBe(false);
    await eventually(
      () => watchdogsOf(demo.pgPid).length === 0 && watchdogsOf(demo.redisPid).length === 0,
      5_000,
      'the watchdogs to be gone',
    );
  }, 240_000);

  it('a SIGKILLed demo leaves neither its redis-server (nor its folder) nor its embedded PostgreSQL behind', async () => {
    // Second run on the same data folder: the embedded PostgreSQL's data is reused.
    const demo = await startDemo();
    const redisDir = readlinkSync(`/proc/${demo.redisPid}/cwd`);
    expect(existsSync(redisDir)).toBe(true);

    demo.child.kill('SIGKILL');
    await demo.exited;
    // Bound: the watchdog signals at once; PostgreSQL's fast shutdown and Redis's exit take
    // well under a second here; 10 s of grace before SIGKILL, so 20 s is generous.
    await eventually(
      () => !alive(demo.pgPid) && !alive(demo.redisPid),
      20_000,
      'the embedded PostgreSQL and the redis-server of the killed demo to be gone',
    );
    await eventually(() => !existsSync(redisDir), 5_000, "the redis-server's temporary folder");
    await eventually(
      () => watchdogsOf(demo.pgPid).length === 0 && watchdogsOf(demo.redisPid).length === 0,
      5_000,
      'the watchdogs to be gone',
    );
  }, 240_000);

  it('a demo killed with its watchdogs: the next start stops the redis-server and PostgreSQL it left; a doubled Ctrl-C is one stop, exit 0', async () => {
    const first = await startDemo();
    const dogs = [...watchdogsOf(first.pgPid), ...watchdogsOf(first.redisPid)];
    expect(dogs).toHaveLength(2);
    for (const pid of dogs) process.kill(pid, 'SIGKILL');
    await eventually(() => dogs.every((pid) => !alive(pid)), 5_000, 'the watchdogs to die');
    first.child.kill('SIGKILL');
    await first.exited;
    // Nothing stopped them this time: they are left over.
    expect(alive(first.pgPid) && alive(first.redisPid)).toBe(true);

    const second = await startDemo();
    expect(second.output()).toContain(
      `Stopping the redis-server an earlier demo left running (pid ${first.redisPid})`,
    );
    expect(second.output()).toContain(
      `Stopping the embedded PostgreSQL an earlier demo left running (pid ${first.pgPid})`,
    );
    expect(alive(first.pgPid)).toBe(false);
    expect(alive(first.redisPid)).toBe(false);
    await askOnce(second.url);
    // The same Ctrl-C delivered twice (terminal + a forwarding parent) is still one.
    second.child.kill('SIGINT');
    await eventually(() => second.output().includes('Stopping…'), 5_000, 'Stopping…');
    second.child.kill('SIGINT');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(alive(second.pgPid) || alive(second.redisPid)).toBe(false);
  }, 300_000);
});
