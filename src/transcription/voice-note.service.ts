import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { GraphApiClient } from '../whatsapp/graph-api.client';
import { prepareVoiceNote, type AudioLimits, type PreparedVoiceNote } from './prepare-voice-note';
import { TranscriptionClient, type TranscriptionResult } from './transcription.client';
import { estimateTranscriptionTokens } from './transcription-tokens';
import { audioLimitsFromConfig } from './transcription-options';

export interface TranscribeOptions {
  /** The shop's own OpenRouter key, when it has one. */
  apiKey?: string;
  tenantId?: string;
  signal?: AbortSignal;
}

/**
 * The voice-note steps in the order the worker runs them, split where the caller has to act
 * in between (reserve tokens once the length is known):
 *   const note = await voiceNotes.fetch(mediaId);            // GraphApiError | AudioError
 *   reserve(voiceNotes.tokensToReserve(note));
 *   const result = await voiceNotes.transcribe(note, { apiKey, tenantId }); // TranscriptionFailedError
 */
@Injectable()
export class VoiceNoteService {
  private readonly limits: AudioLimits;

  constructor(
    private readonly graph: GraphApiClient,
    private readonly client: TranscriptionClient,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limits = audioLimitsFromConfig(config);
  }

  /** Downloads the media (Meta hosts only, capped) and turns it into 16 kHz mono WAV. */
  async fetch(mediaId: string): Promise<PreparedVoiceNote> {
    const media = await this.graph.downloadMedia(mediaId, { maxBytes: this.limits.maxBytes });
    return prepareVoiceNote(media.bytes, media.mimeType, this.limits);
  }

  /** Voice-note bytes already at hand (e.g. a retry that kept them). */
  prepare(bytes: Uint8Array, mimeType: string | undefined): Promise<PreparedVoiceNote> {
    return prepareVoiceNote(bytes, mimeType, this.limits);
  }

  tokensToReserve(note: Pick<PreparedVoiceNote, 'durationSeconds'>): number {
    return estimateTranscriptionTokens(note.durationSeconds);
  }

  transcribe(
    note: PreparedVoiceNote,
    options: TranscribeOptions = {},
  ): Promise<TranscriptionResult> {
    return this.client.transcribe({
      wav: note.wav,
      durationSeconds: note.durationSeconds,
      ...options,
    });
  }
}
