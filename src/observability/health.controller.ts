import {
  Controller,
  Get,
  Inject,
  type OnApplicationShutdown,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { redisOptionsFromUrl } from '../common/redis-options';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { pendingMigrations } from '../database/pending-migrations';
import { ShutdownState } from './shutdown-state';

const CHECK_TIMEOUT_MS = 1_500;

/**
 * Liveness and readiness, with @nestjs/terminus.
 *
 * - GET /health/live: the process answers (no dependency is checked: restarting a pod because
 *   PostgreSQL is down would not bring PostgreSQL back).
 * - GET /health/ready: PostgreSQL answers and every migration of this build is applied, for
 *   every role; Redis too for roles that run the worker. The api role reports Redis without
 *   failing on it: the webhook stores first and the relay enqueues once Redis is back. 503 from
 *   the start of shutdown.
 * - GET /health: the same as /health/ready (kept for existing checks).
 *
 * Bodies name the part and say "unreachable", "timeout" or "pending"; they never carry an
 * error message (host names, SQL, driver text stay in the logs).
 */
@ApiTags('health')
@Controller('health')
export class HealthController implements OnApplicationShutdown {
  /** A connection of its own, failing fast, so a Redis outage shows here in ~1 s. */
  private readonly redis: Redis;
  private readonly redisRequired: boolean;
  /** Migrations never un-apply under a running build: once all are in, stop asking. */
  private migrationsApplied = false;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly db: DataSource,
    private readonly shutdown: ShutdownState,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redisRequired = config.APP_ROLE !== 'api';
    this.redis = new Redis({
      ...redisOptionsFromUrl(config.REDIS_URL),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 1_000,
      connectTimeout: 1_000,
    });
    this.redis.on('error', () => undefined); // reported through the check, not as noise
  }

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process is up' })
  live() {
    return this.health.check([() => this.indicators.check('process').up({ pid: process.pid })]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: PostgreSQL, migrations, and Redis where the role needs it' })
  ready() {
    return this.readiness();
  }

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Same as /health/ready' })
  check() {
    return this.readiness();
  }

  private async readiness() {
    const required = [
      () => this.shutdownCheck(),
      () => this.databaseCheck(),
      () => this.migrationsCheck(),
      ...(this.redisRequired ? [() => this.redisCheck()] : []),
    ];
    if (this.redisRequired) return this.health.check(required);
    // api role: Redis is reported beside the verdict, never part of it.
    const [result, redis] = await Promise.all([
      this.health.check(required).catch((err: unknown) => {
        if (err instanceof ServiceUnavailableException) return { failed: err };
        throw err;
      }),
      this.redisCheck(),
    ]);
    const optional = { redis: { ...redis.redis, required: false } };
    if ('failed' in result) {
      const body = result.failed.getResponse() as { details: object };
      throw new ServiceUnavailableException({
        ...body,
        details: { ...body.details, ...optional },
      });
    }
    return { ...result, details: { ...result.details, ...optional } };
  }

  private shutdownCheck(): HealthIndicatorResult {
    const indicator = this.indicators.check('shutdown');
    return this.shutdown.shuttingDown
      ? indicator.down({ reason: 'shutting_down' })
      : indicator.up();
  }

  private async databaseCheck(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('database');
    try {
      await withTimeout(this.db.query('SELECT 1'));
      return indicator.up();
    } catch (err) {
      return indicator.down({ reason: reasonOf(err) });
    }
  }

  private async migrationsCheck(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('migrations');
    if (this.migrationsApplied) return indicator.up();
    try {
      const pending = await withTimeout(pendingMigrations(this.db));
      if (pending.length > 0) return indicator.down({ reason: 'pending', pending: pending.length });
      this.migrationsApplied = true;
      return indicator.up();
    } catch (err) {
      return indicator.down({ reason: reasonOf(err) });
    }
  }

  private async redisCheck(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('redis');
    try {
      if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect();
      await withTimeout(this.redis.ping());
      return indicator.up();
    } catch (err) {
      return indicator.down({ reason: reasonOf(err) });
    }
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

class CheckTimeout extends Error {}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout()), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A fixed word, never the error's text. */
function reasonOf(err: unknown): 'timeout' | 'unreachable' {
  return err instanceof CheckTimeout ? 'timeout' : 'unreachable';
}
