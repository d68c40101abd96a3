import { countTokens } from 'gpt-tokenizer';

/**
 * Token arithmetic of a transcription, for the reservation the caller makes before the call
 * (errs high: an unused reservation is given back, a short one becomes a shortfall).
 */

/** The instruction sent with the audio (the OpenRouter backend): short, Spanish, verbatim. */
export const TRANSCRIPTION_INSTRUCTION =
  'Transcribe literalmente esta nota de voz en español de México. Responde solo con las ' +
  'palabras dichas, sin comillas, sin traducir, sin resumir y sin comentarios. Si no se oye ' +
  'ninguna palabra, deja la respuesta vacía.';

/**
 * Gemini bills 32 tokens per second of audio (ai.google.dev/gemini-api/docs/audio, "Technical
 * details about audio"); OpenAI's audio models count fewer, so 32 covers both.
 */
export const AUDIO_TOKENS_PER_SECOND = 32;

/**
 * Ceiling of the transcript itself: fast Spanish speech is about 3 words per second, about
 * 6 tokens; 8 leaves room. Also what max_tokens allows, so the answer cannot outgrow the
 * reservation.
 */
export const TRANSCRIPT_TOKENS_PER_SECOND = 8;

/** Role markers, the audio part's framing and a short transcript of a very short note. */
const FIXED_OVERHEAD_TOKENS = 24;
const SAFETY_FACTOR = 1.1;

const INSTRUCTION_TOKENS = countTokens(TRANSCRIPTION_INSTRUCTION);

/** The max_tokens sent for a note this long. */
export function transcriptMaxTokens(seconds: number): number {
  return FIXED_OVERHEAD_TOKENS + Math.ceil(wholeSeconds(seconds) * TRANSCRIPT_TOKENS_PER_SECOND);
}

/** Prompt tokens of a transcription call: instruction plus audio. */
export function transcriptionPromptTokens(seconds: number): number {
  return (
    FIXED_OVERHEAD_TOKENS +
    INSTRUCTION_TOKENS +
    Math.ceil(wholeSeconds(seconds) * AUDIO_TOKENS_PER_SECOND)
  );
}

/**
 * Tokens to reserve before transcribing a note of `seconds`: the prompt (instruction and
 * audio) plus the longest transcript allowed, with a margin. Pure and monotonic.
 */
export function estimateTranscriptionTokens(seconds: number): number {
  return Math.ceil(
    (transcriptionPromptTokens(seconds) + transcriptMaxTokens(seconds)) * SAFETY_FACTOR,
  );
}

function wholeSeconds(seconds: number): number {
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 1;
}
