import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AdminModule } from './admin/admin.module';
import { AssistantModule } from './assistant/assistant.module';
import { redisOptionsFromUrl } from './common/redis-options';
import { APP_CONFIG, type AppConfig, ConfigModule } from './config/config.module';
import { parseEnv } from './config/env.schema';
import { dataSourceOptions } from './database/data-source-options';
import { InboxModule } from './inbox/inbox.module';
import { loggerParams } from './observability/logger';
import { MetricsModule, ObservabilityModule } from './observability/observability.module';
import { TenantsModule } from './tenants/tenants.module';
import { WebhookModule } from './whatsapp/webhook.module';

/**
 * APP_ROLE decides what this process does: `api` serves the webhook and the admin API,
 * `worker` answers queued messages, `all` does both. Health and metrics are always served.
 */
@Module({})
export class AppModule {
  static register(role: AppConfig['APP_ROLE'] = parseEnv(process.env).APP_ROLE): DynamicModule {
    const api = role === 'all' || role === 'api';
    const worker = role === 'all' || role === 'worker';
    return {
      module: AppModule,
      imports: [
        ConfigModule,
        MetricsModule,
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => loggerParams(config),
        }),
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE),
            autoLoadEntities: true,
            retryAttempts: 5,
            retryDelay: 1_000,
          }),
        }),
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            connection: redisOptionsFromUrl(config.REDIS_URL),
            prefix: config.QUEUE_PREFIX,
          }),
        }),
        TenantsModule,
        InboxModule,
        ObservabilityModule,
        ...(api ? [WebhookModule, AdminModule] : []),
        ...(worker ? [AssistantModule] : []),
      ],
    };
  }
}
