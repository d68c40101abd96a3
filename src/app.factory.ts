import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { registerQueueBoard } from './admin/queue-board';
import { portSplit, rememberPortSplit } from './common/http/admin-port';
import { INBOUND_QUEUE } from './inbox/inbound-queue';
import type { AppConfig } from './config/config.module';
import { registerHttpMetrics } from './observability/http-metrics';
import { MetricsService } from './observability/metrics.service';
import { AppModule, type AppOptions } from './app.module';
import { registerStaticPages } from './static-pages';
import { BODY_LIMIT_BYTES, registerBodyParsers } from './whatsapp/raw-body';

/**
 * Builds the application for a parsed configuration (main.ts parses the environment; tests,
 * benchmarks and the demo build their configuration as an object).
 */
export async function createApp(
  config: AppConfig,
  options: AppOptions = {},
): Promise<NestFastifyApplication> {
  const split = config.ADMIN_PORT === undefined ? undefined : portSplit({ demo: config.DEMO_MODE });
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: true,
    ...(split ? { serverFactory: split.serverFactory } : {}),
  });
  // First hook of all, so a route of the other port is a 404 before any auth or parsing.
  split?.install(adapter.getInstance());
  registerBodyParsers(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config, options),
    adapter,
    {
      bodyParser: false,
      bufferLogs: true,
    },
  );
  if (split) rememberPortSplit(app, split);
  app.useLogger(app.get(Logger));
  registerHttpMetrics(adapter.getInstance(), app.get(MetricsService));
  if (config.APP_ROLE !== 'worker') {
    await registerQueueBoard(
      app,
      [app.get<Queue>(getQueueToken(INBOUND_QUEUE))],
      config.ADMIN_API_TOKEN,
    );
  }
  if (options.shutdownHooks !== false) app.enableShutdownHooks();

  const openApi = new DocumentBuilder()
    .setTitle('Changarrito Assistant')
    .setDescription(
      'WhatsApp business assistant for small shops. Admin routes need `Authorization: Bearer ADMIN_API_TOKEN`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi));
  await registerStaticPages(app, config);
  return app;
}
