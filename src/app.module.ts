import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AdminModule } from './admin/admin.module';
import { AssistantModule } from './assistant/assistant.module';
import { DailyCloseModule } from './daily-close/daily-close.module';
import { AppExceptionFilter } from './common/http/app-exception.filter';
import { redisOptionsFromUrl } from './common/redis-options';
import { type AppConfig, ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import type { DemoBackend } from './demo/demo-backend';
import { DemoModule } from './demo/demo.module';
import { InboxModule } from './inbox/inbox.module';
import { loggerParams } from './observability/logger';
import { MetricsModule } from './observability/metrics.module';
import { ObservabilityModule } from './observability/observability.module';
import { RetentionModule } from './retention/retention.module';
import { WebhookModule } from './whatsapp/webhook.module';

/** What the process that boots the app hands it besides the configuration. */
export interface AppOptions {
  /** `npm run demo`'s fakes, for the simulator (used only with DEMO_MODE=true). */
  demo?: DemoBackend;
  /**
   * Nest's own SIGINT/SIGTERM handlers (default on). They re-raise the signal once the app is
   * closed, so a process that owns its signals (the demo stops its databases after the app,
   * then exits 0) turns them off and calls app.close() itself.
   */
  shutdownHooks?: boolean;
}

/**
 * The application for one configuration. APP_ROLE decides what this process does: `api`
 * serves the webhook and the admin API, `worker` answers queued messages, `all` does both.
 * Health and metrics are always served.
 */
@Module({})
export class AppModule {
  static register(config: AppConfig, options: AppOptions = {}): DynamicModule {
    const api = config.APP_ROLE === 'all' || config.APP_ROLE === 'api';
    const worker = config.APP_ROLE === 'all' || config.APP_ROLE === 'worker';
    const demo = api && config.DEMO_MODE;
    if (demo && !options.demo) {
      throw new Error('DEMO_MODE=true serves the simulator of `npm run demo`: start it that way');
    }
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule,
        LoggerModule.forRoot(loggerParams(config)),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE),
          retryAttempts: 5,
          retryDelay: 1_000,
        }),
        BullModule.forRoot({
          connection: redisOptionsFromUrl(config.REDIS_URL),
          prefix: config.QUEUE_PREFIX,
        }),
        InboxModule,
        ObservabilityModule,
        ...(api ? [WebhookModule, AdminModule] : []),
        ...(demo && options.demo ? [DemoModule.register(options.demo)] : []),
        ...(worker ? [AssistantModule, RetentionModule, DailyCloseModule] : []),
      ],
      providers: [{ provide: APP_FILTER, useClass: AppExceptionFilter }],
    };
  }
}
