import { Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { callLogFields, callLogLevel } from './call-log';
import { gatewayOptionsFromConfig } from './gateway-options';
import { LlmGateway } from './llm-gateway';
import type { LlmAttemptRecord } from './llm.types';

/** Builds the gateway from APP_CONFIG and logs one structured line per attempt. */
export function createLlmGateway(config: AppConfig, logger = new Logger('LlmGateway')): LlmGateway {
  return new LlmGateway({
    ...gatewayOptionsFromConfig(config),
    onCall: (record: LlmAttemptRecord) => logger[callLogLevel(record)](callLogFields(record)),
  });
}

/**
 * Provides LlmGateway (inject the class). Metrics subscribe with
 * `gateway.addCallListener(record => …)`.
 */
@Module({
  providers: [
    {
      provide: LlmGateway,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createLlmGateway(config),
    },
  ],
  exports: [LlmGateway],
})
export class LlmModule {}
