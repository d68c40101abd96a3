import { Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { callLogFields, callLogLevel } from '../llm/call-log';
import type { LlmAttemptRecord } from '../llm/llm.types';
import { llmMetricsObserver } from '../observability/llm-metrics';
import { MetricsService } from '../observability/metrics.service';
import { WhatsappModule } from '../whatsapp/whatsapp.module';
import { TranscriptionClient } from './transcription.client';
import { transcriptionOptionsFromConfig } from './transcription-options';
import { VoiceNoteService } from './voice-note.service';

/** Builds the client from APP_CONFIG; one structured log line per attempt, like chat calls. */
export function createTranscriptionClient(
  config: AppConfig,
  logger = new Logger('Transcription'),
  metrics?: MetricsService,
): TranscriptionClient {
  const observe = metrics
    ? llmMetricsObserver(metrics, new Set([config.TRANSCRIPTION_MODEL]))
    : undefined;
  return new TranscriptionClient({
    ...transcriptionOptionsFromConfig(config),
    onCall: (record: LlmAttemptRecord) => {
      logger[callLogLevel(record)]({ ...callLogFields(record), event: 'transcription_call' });
      observe?.(record);
    },
  });
}

/** Voice notes: media download, decoding, transcription. Provides VoiceNoteService. */
@Module({
  imports: [WhatsappModule],
  providers: [
    {
      provide: TranscriptionClient,
      inject: [APP_CONFIG, { token: MetricsService, optional: true }],
      useFactory: (config: AppConfig, metrics?: MetricsService) =>
        createTranscriptionClient(config, undefined, metrics),
    },
    VoiceNoteService,
  ],
  exports: [TranscriptionClient, VoiceNoteService],
})
export class TranscriptionModule {}
