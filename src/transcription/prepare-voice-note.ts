import { AudioError } from './audio-error';
import { decodeOggOpus } from './decode-ogg-opus';
import { probeOggOpus } from './ogg-probe';
import { resample } from './resample';
import { encodeWav16 } from './wav';

/** What every transcription backend is sent: 16 kHz, mono, 16-bit PCM WAV. */
export const TRANSCRIPTION_SAMPLE_RATE = 16_000;

export interface AudioLimits {
  /** AUDIO_MAX_SECONDS */
  maxSeconds: number;
  /** AUDIO_MAX_BYTES */
  maxBytes: number;
}

export interface PreparedVoiceNote {
  /** RIFF/WAVE, PCM 16-bit, mono, TRANSCRIPTION_SAMPLE_RATE. */
  wav: Buffer;
  /** Decoded length: what reservations and replies should use. */
  durationSeconds: number;
  sampleRate: number;
  /** Size of the Ogg/Opus file it came from. */
  sourceBytes: number;
}

/** Media types a WhatsApp voice note arrives as ("audio/ogg; codecs=opus"). */
const OGG_TYPES = new Set(['audio/ogg', 'audio/opus', 'application/ogg']);

/**
 * A downloaded voice note → the WAV a transcription backend takes, refusing (AudioError)
 * what should not be transcribed. Cheapest checks first: the byte count, the media type,
 * the Ogg headers' own duration (no decoding), then the decoder, which stops as soon as its
 * output passes the limit.
 */
export async function prepareVoiceNote(
  bytes: Uint8Array,
  mimeType: string | undefined,
  limits: AudioLimits,
): Promise<PreparedVoiceNote> {
  if (bytes.length > limits.maxBytes) {
    throw new AudioError({
      kind: 'too_large',
      message: `voice note has ${bytes.length} bytes, more than ${limits.maxBytes}`,
      bytes: bytes.length,
      detectedBy: 'size',
    });
  }
  const baseType = mimeType?.split(';')[0]?.trim().toLowerCase();
  if (baseType !== undefined && baseType !== '' && !OGG_TYPES.has(baseType)) {
    throw new AudioError({
      kind: 'unsupported_format',
      message: `media type ${baseType} is not Ogg/Opus`,
    });
  }
  const info = probeOggOpus(bytes);
  if (info.durationSeconds > limits.maxSeconds) {
    throw new AudioError({
      kind: 'too_long',
      message: `voice note lasts ${info.durationSeconds.toFixed(1)} s, more than ${limits.maxSeconds} s`,
      durationSeconds: info.durationSeconds,
      detectedBy: 'header',
    });
  }
  const decoded = await decodeOggOpus(bytes, { maxSeconds: limits.maxSeconds });
  const pcm = resample(decoded.samples, decoded.sampleRate, TRANSCRIPTION_SAMPLE_RATE);
  return {
    wav: encodeWav16(pcm, TRANSCRIPTION_SAMPLE_RATE),
    durationSeconds: decoded.durationSeconds,
    sampleRate: TRANSCRIPTION_SAMPLE_RATE,
    sourceBytes: bytes.length,
  };
}
