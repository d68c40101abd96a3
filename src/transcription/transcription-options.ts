import type { Env } from '../config/env.schema';
import type { AudioLimits } from './prepare-voice-note';
import type { TranscriptionClientOptions } from './transcription.client';

type TranscriptionConfig = Pick<
  Env,
  | 'TRANSCRIPTION_MODEL'
  | 'TRANSCRIPTION_BASE_URL'
  | 'TRANSCRIPTION_API_KEY'
  | 'TRANSCRIPTION_TIMEOUT_MS'
  | 'TRANSCRIPTION_ATTEMPTS'
  | 'OPENROUTER_BASE_URL'
  | 'OPENROUTER_API_KEY'
  | 'OPENROUTER_APP_URL'
  | 'OPENROUTER_APP_TITLE'
  | 'LLM_BACKOFF_BASE_MS'
  | 'LLM_BACKOFF_MAX_MS'
>;

/**
 * TRANSCRIPTION_BASE_URL set → that OpenAI-compatible server's /audio/transcriptions with
 * TRANSCRIPTION_API_KEY (if any); unset → OpenRouter chat completions with the platform key.
 */
export function transcriptionOptionsFromConfig(
  config: TranscriptionConfig,
): TranscriptionClientOptions {
  const common = {
    model: config.TRANSCRIPTION_MODEL,
    timeoutMs: config.TRANSCRIPTION_TIMEOUT_MS,
    attempts: config.TRANSCRIPTION_ATTEMPTS,
    backoffBaseMs: config.LLM_BACKOFF_BASE_MS,
    backoffMaxMs: config.LLM_BACKOFF_MAX_MS,
  };
  if (config.TRANSCRIPTION_BASE_URL) {
    return {
      ...common,
      backend: 'openai-compatible',
      baseUrl: config.TRANSCRIPTION_BASE_URL,
      apiKey: config.TRANSCRIPTION_API_KEY,
    };
  }
  return {
    ...common,
    backend: 'openrouter',
    baseUrl: config.OPENROUTER_BASE_URL,
    apiKey: config.OPENROUTER_API_KEY,
    appUrl: config.OPENROUTER_APP_URL,
    appTitle: config.OPENROUTER_APP_TITLE,
  };
}

export function audioLimitsFromConfig(
  config: Pick<Env, 'AUDIO_MAX_SECONDS' | 'AUDIO_MAX_BYTES'>,
): AudioLimits {
  return { maxSeconds: config.AUDIO_MAX_SECONDS, maxBytes: config.AUDIO_MAX_BYTES };
}
