import { Inject, Injectable, Logger } from '@nestjs/common';
import { TokenLedgerService } from '../../billing/ledger/token-ledger.service';
import { APP_CONFIG, type AppConfig } from '../../config/config.module';
import { TenantLlmConfigService } from '../../tenants/services/tenant-llm-config.service';
import { AudioError, TranscriptionFailedError, VoiceNoteService } from '../../transcription';
import type { PreparedVoiceNote } from '../../transcription';
import { GraphApiError } from '../../whatsapp/graph-api.errors';
import {
  directAnswer,
  type AnswerContext,
  type ChargedRound,
  type PreparedAnswer,
} from '../answer.types';
import { modelRoute } from '../model-route';
import { OUT_OF_TOKENS_TEXT } from '../replies/billing-replies';

/** What a voice note became: its words (and the paid round), or a reply that says why not. */
export type Heard =
  | { kind: 'not_audio' }
  | { kind: 'text'; text: string; round: ChargedRound }
  | { kind: 'reply'; answer: PreparedAnswer };

export const VOICE_TOO_LONG = (maxSeconds: number) =>
  `Tu nota de voz es muy larga 🎙️: escucho notas de hasta ${Math.round(maxSeconds / 60) >= 1 ? `${Math.round(maxSeconds / 60)} min` : `${maxSeconds} s`}. ¿Me la mandas más cortita o me lo escribes?`;
export const VOICE_TOO_LARGE =
  'Tu nota de voz pesa demasiado (más de 16 MB) 🎙️. ¿Me la mandas más cortita o me lo escribes?';
export const VOICE_UNREADABLE =
  'No pude reproducir tu nota de voz 🎙️ (el archivo no se abre). ¿Me la mandas otra vez o me lo escribes?';
export const VOICE_NOT_HEARD =
  'No alcancé a oír palabras en tu nota de voz 🎙️. ¿Me la mandas otra vez o me lo escribes?';
export const VOICE_FAILED =
  'Ahorita no pude escuchar tu nota de voz 🎙️. ¿Me lo escribes, porfa? No registré nada.';
export const VOICE_DOWNLOAD_FAILED =
  'No pude descargar tu nota de voz 🎙️. ¿Me la mandas otra vez o me lo escribes?';

/**
 * A voice note made into text before the normal path (intent, reads, writes with
 * confirmation): downloaded through the Graph client (Meta's hosts only), decoded and
 * checked in process, then transcribed with tokens reserved first and charged as operation
 * 'transcription'. A note refused before the model (too long, too big, not audio) costs
 * nothing and gets a polite reply.
 */
@Injectable()
export class VoiceInputService {
  private readonly log = new Logger(VoiceInputService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly voiceNotes: VoiceNoteService,
    private readonly ledger: TokenLedgerService,
    private readonly llmConfig: TenantLlmConfigService,
  ) {}

  async hear(ctx: AnswerContext): Promise<Heard> {
    const { message, tenant } = ctx;
    if (message.type !== 'audio' && message.type !== 'voice') return { kind: 'not_audio' };
    const media = (message.payload.audio ?? message.payload.voice) as { id?: string } | undefined;
    if (!media?.id) return reply(VOICE_UNREADABLE);
    let note: PreparedVoiceNote;
    try {
      note = await this.voiceNotes.fetch(media.id);
    } catch (err) {
      if (err instanceof AudioError) return reply(this.audioErrorText(err));
      // Meta's side failing for a moment: the job is retried. For good: say so.
      if (err instanceof GraphApiError && !err.retryable) return reply(VOICE_DOWNLOAD_FAILED);
      throw err;
    }
    const estimate = this.voiceNotes.tokensToReserve(note);
    const plan = await this.ledger.reserveRound(tenant.id, {
      promptTokens: estimate,
      ceiling: 1,
      reference: `${message.wamid}:a${message.attempts}:transcription`,
    });
    if ('insufficient' in plan) return reply(OUT_OF_TOKENS_TEXT);
    const route = modelRoute(await this.llmConfig.getLlmConfig(tenant.id), this.config);
    let result;
    try {
      result = await this.voiceNotes.transcribe(note, {
        apiKey: route.apiKey,
        tenantId: tenant.id,
      });
    } catch (err) {
      await this.ledger.releaseRound(plan.reservation);
      if (!(err instanceof TranscriptionFailedError)) throw err;
      this.log.warn(`transcription of ${message.wamid} failed: ${err.kind}`);
      return reply(VOICE_FAILED);
    }
    const reservation = await this.ledger
      .shrinkRound(plan.reservation, result.usage.totalTokens)
      .catch(() => plan.reservation);
    const round: ChargedRound = {
      seq: 0,
      operation: 'transcription',
      reservation,
      usage: result.usage,
      model: result.model,
      modelIndex: 0,
      latencyMs: result.latencyMs,
    };
    if (!result.text.trim()) {
      // The model listened (and was paid): nothing to act on.
      return { kind: 'reply', answer: { ...directAnswer(VOICE_NOT_HEARD), charged: [round] } };
    }
    return { kind: 'text', text: result.text.trim(), round };
  }

  private audioErrorText(err: AudioError): string {
    switch (err.kind) {
      case 'too_long':
        return VOICE_TOO_LONG(this.config.AUDIO_MAX_SECONDS);
      case 'too_large':
        return VOICE_TOO_LARGE;
      default:
        return VOICE_UNREADABLE;
    }
  }
}

function reply(text: string): Heard {
  return { kind: 'reply', answer: directAnswer(text) };
}
