import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { listenAdminPort } from '../../src/common/http/admin-port';
import type { AppOptions } from '../../src/app.module';
import type { AppConfig } from '../../src/config/config.module';
import { parseEnv } from '../../src/config/env.schema';

export interface RunningApp {
  app: NestFastifyApplication;
  db: DataSource;
  /** Base URL of the listening server (http://127.0.0.1:port). */
  url: string;
  /** With ADMIN_PORT (e.g. '0' for any free port): base URL of the internal admin listener. */
  adminUrl?: string;
  queuePrefix: string;
  close(): Promise<void>;
}

/**
 * Boots the real application against the run's database and the machine's Redis, with a
 * queue prefix of its own so parallel test files never see each other's jobs. `env`
 * overrides variables for this app only (e.g. fake Graph/OpenRouter URLs): the configuration
 * is parsed from the process environment plus the overrides, and injected; process.env is
 * never changed.
 */
export async function startApp(
  env: Record<string, string> = {},
  role: AppConfig['APP_ROLE'] = 'all',
  options: AppOptions = {},
): Promise<RunningApp> {
  const queuePrefix = `${process.env.QUEUE_PREFIX ?? 'test'}_${randomBytes(4).toString('hex')}`;
  const overrides: Record<string, string> = {
    QUEUE_PREFIX: queuePrefix,
    RELAY_INTERVAL_MS: '300',
    ...env,
  };
  const config = parseEnv({ ...process.env, ...overrides, APP_ROLE: role });
  const app: NestFastifyApplication = await createApp(config, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const adminPort =
    config.ADMIN_PORT === undefined
      ? undefined
      : await listenAdminPort(app, config.ADMIN_PORT, '127.0.0.1');
  return {
    app,
    db: app.get<DataSource>(getDataSourceToken()),
    url: `http://127.0.0.1:${address.port}`,
    ...(adminPort === undefined ? {} : { adminUrl: `http://127.0.0.1:${adminPort}` }),
    queuePrefix,
    close: () => app.close(),
  };
}

/** Polls until `check` returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
