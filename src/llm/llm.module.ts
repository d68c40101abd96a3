import { Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { callLogFields, callLogLevel } from './call-log';
import { gatewayOptionsFromConfig } from './gateway-options';
import { LlmGatewayClient } from './llm-gateway.client';
import type { LlmAttemptRecord } from './llm.types';

/** Builds the gateway from APP_CONFIG and logs one structured line per attempt. */
export function createLlmGateway(
  config: AppConfig,
  logger = new Logger('LlmGateway'),
): LlmGatewayClient {
  return new LlmGatewayClient({
    ...gatewayOptionsFromConfig(config),
    onCall: (record: LlmAttemptRecord) => logger[callLogLevel(record)](callLogFields(record)),
  });
}

/** Provides the OpenRouter gateway (inject LlmGatewayClient). */
@Module({
  providers: [
    {
      provide: LlmGatewayClient,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createLlmGateway(config),
    },
  ],
  exports: [LlmGatewayClient],
})
export class LlmModule {}
