import { OggOpusDecoder, type OggOpusDecodedAudio } from 'ogg-opus-decoder';
import { AudioError } from './audio-error';

/** Mono PCM as the decoder produced it. */
export interface DecodedAudio {
  samples: Float32Array;
  sampleRate: number;
  durationSeconds: number;
}

export interface DecodeLimits {
  /** Stop decoding (too_long) once more than this much audio has come out. */
  maxSeconds: number;
}

/** Opus always decodes at 48 kHz (RFC 7845). */
const DECODE_RATE = 48_000;
/** Bytes handed to the decoder per call: the running total is checked between calls. */
const CHUNK_BYTES = 32 * 1024;
/**
 * Before the last page, a chunk's output can run a few ms past the final length (the decoder
 * trims the end padding only at the end of the stream); this much slack avoids refusing an
 * exactly-at-the-limit note mid-stream. The exact limit is applied once decoding is done.
 */
const STREAMING_SLACK_SECONDS = 0.5;

/**
 * Ogg/Opus → mono float PCM with the WASM libopus build in `ogg-opus-decoder` (bundled in
 * the package: nothing is fetched at run time). Decodes in chunks and gives up as soon as the
 * output passes the limit, so a note whose headers understate its length cannot make us
 * decode hours of audio. Several channels are averaged to one.
 */
export async function decodeOggOpus(
  bytes: Uint8Array,
  limits: DecodeLimits,
): Promise<DecodedAudio> {
  const decoder = new OggOpusDecoder();
  const parts: Float32Array[] = [];
  let total = 0;
  const streamingCap = (limits.maxSeconds + STREAMING_SLACK_SECONDS) * DECODE_RATE;

  const take = (out: OggOpusDecodedAudio) => {
    if (out.errors.length > 0) {
      throw new AudioError({
        kind: 'undecodable',
        message: `corrupt Opus data (${out.errors.length} bad frame(s): ${out.errors[0]!.message})`,
      });
    }
    if (out.samplesDecoded === 0) return;
    if (out.sampleRate !== DECODE_RATE) {
      throw new AudioError({ kind: 'undecodable', message: `unexpected rate ${out.sampleRate}` });
    }
    parts.push(downmix(out.channelData, out.samplesDecoded));
    total += out.samplesDecoded;
    if (total > streamingCap) {
      throw new AudioError({
        kind: 'too_long',
        message: `voice note is longer than ${limits.maxSeconds} s`,
        durationSeconds: total / DECODE_RATE,
        detectedBy: 'decoder',
      });
    }
  };

  try {
    await decoder.ready;
    for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
      take(await decoder.decode(bytes.subarray(offset, offset + CHUNK_BYTES)));
    }
    take(await decoder.flush());
  } catch (err) {
    if (err instanceof AudioError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new AudioError({
      kind: /does not support this codec/.test(message) ? 'unsupported_format' : 'undecodable',
      message: `Ogg/Opus decoder failed: ${message}`,
      cause: err,
    });
  } finally {
    decoder.free();
  }

  if (total === 0) throw new AudioError({ kind: 'undecodable', message: 'no audio decoded' });
  const durationSeconds = total / DECODE_RATE;
  if (durationSeconds > limits.maxSeconds) {
    throw new AudioError({
      kind: 'too_long',
      message: `voice note is longer than ${limits.maxSeconds} s`,
      durationSeconds,
      detectedBy: 'decoder',
    });
  }
  return { samples: concat(parts, total), sampleRate: DECODE_RATE, durationSeconds };
}

function downmix(channels: Float32Array[], length: number): Float32Array {
  if (channels.length === 1) return channels[0]!.slice(0, length);
  const out = new Float32Array(length);
  for (const channel of channels) {
    for (let i = 0; i < length; i++) out[i] = out[i]! + channel[i]! / channels.length;
  }
  return out;
}

function concat(parts: Float32Array[], total: number): Float32Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Float32Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
