import type { FormPart } from './multipart';
import type { ChatRequestBody } from './types';
import { inspectWav } from './wav-inspect';

/**
 * Audio the fake received, checked and measured, for test assertions: through an input_audio
 * part of a chat request (OpenRouter's audio inputs) or the file of a multipart
 * /audio/transcriptions upload (OpenAI-compatible servers).
 */
export interface ReceivedAudio {
  endpoint: 'chat' | 'transcriptions';
  model: string | null;
  /** input_audio.format, or the uploaded file's type ('wav' for audio/wav or *.wav). */
  format: string;
  /** Size of the decoded audio file. */
  bytes: number;
  /** What the WAV header and data say (null when it is not a readable WAV). */
  audioFormat: number | null;
  sampleRate: number | null;
  channels: number | null;
  bitsPerSample: number | null;
  seconds: number | null;
  /** Why the fake refused it (400), if it did. */
  problem: string | null;
  /** Other multipart fields (language, response_format…), for the transcriptions endpoint. */
  fields: Record<string, string>;
}

/** The format a test expects every upload to have; null accepts any readable WAV. */
export interface AudioExpectation {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
}

export const DEFAULT_AUDIO_EXPECTATION: AudioExpectation = {
  sampleRate: 16_000,
  channels: 1,
  bitsPerSample: 16,
};

/**
 * Audio bills by length: Gemini counts 32 tokens per second of audio, so the fake does too
 * (prompt_tokens_details.audio_tokens).
 */
export const FAKE_AUDIO_TOKENS_PER_SECOND = 32;

export function audioTokens(audio: ReceivedAudio): number {
  return Math.ceil((audio.seconds ?? 0) * FAKE_AUDIO_TOKENS_PER_SECOND);
}

/** The input_audio parts of a chat request, in order. */
export function inputAudioParts(
  body: ChatRequestBody | null,
): { data: unknown; format: unknown }[] {
  const found: { data: unknown; format: unknown }[] = [];
  for (const message of body?.messages ?? []) {
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content as unknown[]) {
      if (isRecord(part) && part.type === 'input_audio') {
        const audio = isRecord(part.input_audio) ? part.input_audio : {};
        found.push({ data: audio.data, format: audio.format });
      }
    }
  }
  return found;
}

/** Decodes and checks one input_audio part. */
export function receiveChatAudio(
  part: { data: unknown; format: unknown },
  model: string | null,
  expected: AudioExpectation | null,
): ReceivedAudio {
  const format = typeof part.format === 'string' ? part.format : '';
  if (typeof part.data !== 'string' || part.data === '') {
    return refused('chat', model, format, 0, 'input_audio.data is missing');
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(part.data) || part.data.length % 4 !== 0) {
    return refused('chat', model, format, 0, 'input_audio.data is not base64');
  }
  return measure('chat', model, format, Buffer.from(part.data, 'base64'), expected, {});
}

/** Checks the file (and model) of a multipart transcription upload. */
export function receiveUpload(parts: FormPart[], expected: AudioExpectation | null): ReceivedAudio {
  const fields: Record<string, string> = {};
  for (const p of parts) if (p.filename === undefined) fields[p.name] = p.data.toString('utf8');
  const model = fields.model ?? null;
  const file = parts.find((p) => p.name === 'file' && p.filename !== undefined);
  if (!file) return refused('transcriptions', model, '', 0, 'no file part', fields);
  const isWav = /wav/i.test(file.contentType ?? '') || /\.wav$/i.test(file.filename ?? '');
  const format = isWav ? 'wav' : (file.contentType ?? 'unknown');
  if (!model) return refused('transcriptions', model, format, file.data.length, 'no model', fields);
  return measure('transcriptions', model, format, file.data, expected, fields);
}

/** Deterministic stand-in for a speech recogniser: says how much audio it got. */
export function defaultTranscript(audio: ReceivedAudio): string {
  return `Nota de voz de ${(audio.seconds ?? 0).toFixed(1)} segundos.`;
}

function measure(
  endpoint: ReceivedAudio['endpoint'],
  model: string | null,
  format: string,
  bytes: Buffer,
  expected: AudioExpectation | null,
  fields: Record<string, string>,
): ReceivedAudio {
  if (format !== 'wav') {
    return refused(endpoint, model, format, bytes.length, `format "${format}" is not wav`, fields);
  }
  const wav = inspectWav(bytes);
  if ('problem' in wav) return refused(endpoint, model, format, bytes.length, wav.problem, fields);
  const received: ReceivedAudio = {
    endpoint,
    model,
    format,
    bytes: bytes.length,
    audioFormat: wav.audioFormat,
    sampleRate: wav.sampleRate,
    channels: wav.channels,
    bitsPerSample: wav.bitsPerSample,
    seconds: wav.seconds,
    problem: null,
    fields,
  };
  if (wav.audioFormat !== 1) return { ...received, problem: 'WAV is not integer PCM' };
  if (expected) {
    const { sampleRate, channels, bitsPerSample } = expected;
    if (
      wav.sampleRate !== sampleRate ||
      wav.channels !== channels ||
      wav.bitsPerSample !== bitsPerSample
    ) {
      return {
        ...received,
        problem: `expected ${sampleRate} Hz, ${channels} channel(s), ${bitsPerSample}-bit; got ${wav.sampleRate} Hz, ${wav.channels}, ${wav.bitsPerSample}-bit`,
      };
    }
  }
  if (wav.dataBytes === 0) return { ...received, problem: 'WAV has no samples' };
  return received;
}

function refused(
  endpoint: ReceivedAudio['endpoint'],
  model: string | null,
  format: string,
  bytes: number,
  problem: string,
  fields: Record<string, string> = {},
): ReceivedAudio {
  return {
    endpoint,
    model,
    format,
    bytes,
    audioFormat: null,
    sampleRate: null,
    channels: null,
    bitsPerSample: null,
    seconds: null,
    problem,
    fields,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
