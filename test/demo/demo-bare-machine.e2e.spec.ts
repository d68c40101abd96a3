import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
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

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * `npm run demo` on a machine whose PostgreSQL and Redis do not answer: DATABASE_URL and
 * REDIS_URL point at closed ports and --no-local skips 5432/6379, so it must come up on the
 * embedded PostgreSQL and a redis-server of its own, answer a question, and leave nothing
 * running after Ctrl-C.
 */
(hasRedisServer ? describe : describe.skip)('npm run demo on a bare machine', () => {
  it('uses embedded PostgreSQL and its own redis-server, answers, and stops them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-bare-'));
    chmodSync(dir, 0o755); // the unprivileged PostgreSQL user must reach it when run as root
    const [pgPort, redisPort] = [await freePort(), await freePort()];
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        'scripts/demo.ts',
        '--no-local',
        '--port',
        '0',
        '--data-dir',
        dir,
      ],
      {
        cwd: join(__dirname, '..', '..'),
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/nothing`,
          REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const url = await eventually(
        () => {
          if (child.exitCode !== null) throw new Error(`the demo exited (${child.exitCode})`);
          return /Open (http:\/\/127\.0\.0\.1:\d+)\/simulator\//.exec(out)?.[1];
        },
        150_000,
        'the demo URL',
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${out}`);
      });
      const pgPid = Number(/embedded PostgreSQL \(pid (\d+)/.exec(out)?.[1]);
      const redisPid = Number(/redis-server started by the demo \(pid (\d+)/.exec(out)?.[1]);
      expect(pgPid).toBeGreaterThan(0);
      expect(redisPid).toBeGreaterThan(0);

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

      child.kill('SIGINT');
      await exited; // exits 130 today (see report); what matters is that nothing is left behind
      await eventually(
        () => !alive(pgPid) && !alive(redisPid),
        10_000,
        'the embedded PostgreSQL and the redis-server to be gone',
      );
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
