import { Controller, Get, Inject, type OnModuleDestroy } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import Redis from 'ioredis';
import { redisOptionsFromUrl } from '../common/redis-options';
import { APP_CONFIG, type AppConfig } from '../config/config.module';

@ApiTags('health')
@Controller('health')
export class HealthController implements OnModuleDestroy {
  /** A connection of its own, failing fast, so a Redis outage shows here in ~1 s. */
  private readonly redis: Redis;

  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
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

  /** 200 when PostgreSQL and Redis answer; 503 naming the failing part otherwise. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 1_500 }),
      async () => {
        const indicator = this.indicators.check('redis');
        try {
          if (this.redis.status === 'wait' || this.redis.status === 'end')
            await this.redis.connect();
          await this.redis.ping();
          return indicator.up();
        } catch (err) {
          return indicator.down({ message: (err as Error).message });
        }
      },
    ]);
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
