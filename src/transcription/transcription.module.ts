import { Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { callLogFields, callLogLevel } from '../llm/call-log';
import type { LlmAttemptRecord } from '../llm/llm.types';
import { WhatsappModule } from '../whatsapp/whatsapp.module';
import { TranscriptionClient } from './transcription.client';
import { transcriptionOptionsFromConfig } from './transcription-options';
import { VoiceNoteService } from './voice-note.service';

/** Builds the client from APP_CONFIG; one structured log line per attempt, like chat calls. */
export function createTranscriptionClient(
  config: AppConfig,
  logger = new Logger('Transcription'),
): TranscriptionClient {
  return new TranscriptionClient({
    ...transcriptionOptionsFromConfig(config),
    onCall: (record: LlmAttemptRecord) =>
      logger[callLogLevel(record)]({ ...callLogFields(record), event: 'transcription_call' }),
  });
}

/** Voice notes: media download, decoding, transcription. Provides VoiceNoteService. */
@Module({
  imports: [WhatsappModule],
  providers: [
    {
      provide: TranscriptionClient,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createTranscriptionClient(config),
    },
    VoiceNoteService,
  ],
  exports: [TranscriptionClient, VoiceNoteService],
})
export class TranscriptionModule {}
