import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ADMIN_DB_URL, databaseUrlFor, dropDatabase } from '../../dev/support/database';
import { eventually, startApp, type RunningApp } from '../../dev/support/app-harness';
import { ownRedis, type OwnRedis } from '../../dev/support/redis-server';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

interface HealthBody {
  status: 'ok' | 'error';
  details: Record<string, { status: 'up' | 'down'; reason?: string; required?: boolean }>;
}

async function health(
  t: RunningApp,
  path: string,
): Promise<{ status: number; body: HealthBody; text: string }> {
  const res = await fetch(`${t.url}${path}`);
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as HealthBody, text };
}

/** No host, port, driver or SQL text in a health body: only part names and fixed words. */
function expectNoInternals(text: string, ...secrets: string[]): void {
  expect(text).not.toMatch(
    /ECONNREFUSED|ECONNRESET|127\.0\.0\.1|localhost|timeout exceeded|SELECT/i,
  );
  for (const s of secrets) expect(text).not.toContain(s);
}

/** PostgreSQL through a proxy the test cuts, and a redis-server of the test's own. */
describe('health: liveness and readiness per role', () => {
  let proxy: TcpProxy;
  let redis: OwnRedis;
  let dbUrl: string;

  beforeAll(async () => {
    const db = new URL(process.env.DATABASE_URL!);
    proxy = await startTcpProxy(db.hostname, Number(db.port || 5432));
    db.hostname = '127.0.0.1';
    db.port = String(proxy.port);
    dbUrl = db.toString();
    redis = await ownRedis();
    await redis.start();
  });
  afterAll(async () => {
    proxy?.restore();
    await proxy?.close();
    await redis?.stop();
  });

  describe('api role', () => {
    let t: RunningApp;
    beforeAll(async () => {
      t = await startApp({ DATABASE_URL: dbUrl, REDIS_URL: redis.url }, 'api');
    });
    afterAll(async () => {
      proxy.restore();
      await t?.close();
    });

    it('is ready with PostgreSQL and migrations; Redis is reported but does not make it unready', async () => {
      const up = await health(t, '/health/ready');
      expect(up.status).toBe(200);
      expect(up.body.details).toMatchObject({
        database: { status: 'up' },
        migrations: { status: 'up' },
        redis: { status: 'up', required: false },
      });

      await redis.stop();
      const noRedis = await health(t, '/health/ready');
      expect(noRedis.status).toBe(200);
      expect(noRedis.body.status).toBe('ok');
      expect(noRedis.body.details.redis).toEqual({
        status: 'down',
        reason: 'unreachable',
        required: false,
      });
      expectNoInternals(noRedis.text, String(redis.port));
      expect((await health(t, '/health/live')).status).toBe(200);
      await redis.start();
    });

    it('turns unready while PostgreSQL is unreachable and ready again once it is back', async () => {
      proxy.cut();
      const down = await eventually(async () => {
        const h = await health(t, '/health/ready');
        return h.status === 503 ? h : null;
      });
      expect(down.body.status).toBe('error');
      expect(down.body.details.database).toEqual({ status: 'down', reason: 'unreachable' });
      expectNoInternals(down.text, String(proxy.port));
      // The process is fine: liveness does not depend on PostgreSQL.
      expect((await health(t, '/health/live')).status).toBe(200);

      proxy.restore();
      const back = await eventually(
        async () => {
          const h = await health(t, '/health/ready');
          return h.status === 200 ? h : null;
        },
        15_000,
        'readiness after PostgreSQL came back',
      );
      expect(back.body.details.database).toEqual({ status: 'up' });
    });
  });

  describe('worker role', () => {
    let t: RunningApp;
    beforeAll(async () => {
      t = await startApp({ DATABASE_URL: dbUrl, REDIS_URL: redis.url }, 'worker');
    });
    afterAll(() => t?.close());

    it('needs Redis: unready while it is down, ready again once it is back', async () => {
      expect((await health(t, '/health/ready')).status).toBe(200);
      await redis.stop();
      const down = await health(t, '/health/ready');
      expect(down.status).toBe(503);
      expect(down.body.details.redis).toEqual({ status: 'down', reason: 'unreachable' });
      expect(down.body.details.database).toEqual({ status: 'up' });
      expectNoInternals(down.text, String(redis.port));
      expect((await health(t, '/health/live')).status).toBe(200);

      await redis.start();
      await eventually(async () => (await health(t, '/health/ready')).status === 200, 10_000);
    });
  });
});

describe('health: migrations', () => {
  const name = `changarrito_health_${randomBytes(4).toString('hex')}`;
  let t: RunningApp;

  beforeAll(async () => {
    const admin = new Client({ connectionString: ADMIN_DB_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    t = await startApp({ DATABASE_URL: databaseUrlFor(name) }, 'api');
  });
  afterAll(async () => {
    await t?.close();
    await dropDatabase(name);
  });

  it('is unready until every migration of this build is applied', async () => {
    const before = await health(t, '/health/ready');
    expect(before.status).toBe(503);
    expect(before.body.details.database).toEqual({ status: 'up' });
    const ds = new DataSource(dataSourceOptions(databaseUrlFor(name)));
    await ds.initialize();
    try {
      expect(before.body.details.migrations).toEqual({
        status: 'down',
        reason: 'pending',
        pending: ds.migrations.length,
      });
      // What the migration Job does.
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await ds.destroy();
    }
    const after = await health(t, '/health/ready');
    expect(after.status).toBe(200);
    expect(after.body.details.migrations).toEqual({ status: 'up' });
  });
});

describe('health: shutdown', () => {
  it('answers 503 on readiness from the start of shutdown while still serving', async () => {
    const t = await startApp({ SHUTDOWN_DELAY_MS: '1500' }, 'api');
    expect((await health(t, '/health/ready')).status).toBe(200);
    const closing = t.close();
    try {
      const h = await eventually(async () => {
        const r = await health(t, '/health/ready');
        return r.status === 503 ? r : null;
      });
      expect(h.body.details.shutdown).toEqual({ status: 'down', reason: 'shutting_down' });
      expect(h.body.details.database).toEqual({ status: 'up' });
      expect((await health(t, '/health/live')).status).toBe(200);
    } finally {
      await closing;
    }
  });
});
