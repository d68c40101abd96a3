import { Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { llmMetricsObserver } from '../observability/llm-metrics';
import { MetricsService } from '../observability/metrics.service';
import { callLogFields, callLogLevel } from './call-log';
import { gatewayOptionsFromConfig } from './gateway-options';
import { LlmGatewayClient } from './llm-gateway.client';
import type { LlmAttemptRecord } from './llm.types';
import { allowedModels } from './model-chain';

/**
 * Builds the gateway from APP_CONFIG: one structured log line per attempt and, given the
 * metrics service, the LLM metrics (requests, latency, tokens, cost) from the same event.
 */
export function createLlmGateway(
  config: AppConfig,
  logger = new Logger('LlmGateway'),
  metrics?: MetricsService,
): LlmGatewayClient {
  const observe = metrics ? llmMetricsObserver(metrics, allowedModels(config)) : undefined;
  return new LlmGatewayClient({
    ...gatewayOptionsFromConfig(config),
    onCall: (record: LlmAttemptRecord) => {
      logger[callLogLevel(record)](callLogFields(record));
      observe?.(record);
    },
  });
}

/** Provides the OpenRouter gateway (inject LlmGatewayClient). */
@Module({
  providers: [
    {
      provide: LlmGatewayClient,
      inject: [APP_CONFIG, { token: MetricsService, optional: true }],
      useFactory: (config: AppConfig, metrics?: MetricsService) =>
        createLlmGateway(config, undefined, metrics),
    },
  ],
  exports: [LlmGatewayClient],
})
export class LlmModule {}
