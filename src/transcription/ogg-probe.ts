import { AudioError } from './audio-error';

/**
 * Reads an Ogg/Opus file's page headers, without decoding any audio: channel count, pre-skip
 * and, from the last granule position, the duration. Cheap enough (a few microseconds per
 * page) to refuse an over-long note before the decoder allocates anything.
 * Layout: RFC 3533 (Ogg pages) and RFC 7845 (OpusHead; granules count 48 kHz samples).
 */
export interface OggOpusInfo {
  channels: number;
  /** Samples (48 kHz) the decoder drops at the start. */
  preSkip: number;
  /** The sample rate the audio was recorded at (informational: Opus always decodes at 48 kHz). */
  inputSampleRate: number;
  /** From the last granule position, minus pre-skip. */
  durationSeconds: number;
  pages: number;
}

const CAPTURE = 0x5367674f; // "OggS", little-endian
const PAGE_HEADER_BYTES = 27;
const OPUS_GRANULE_RATE = 48_000;
const NO_GRANULE = -1n;

export function probeOggOpus(bytes: Uint8Array): OggOpusInfo {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  let pages = 0;
  let serial: number | undefined;
  let head: { channels: number; preSkip: number; inputSampleRate: number } | undefined;
  let lastGranule: bigint | undefined;

  while (offset < view.length) {
    if (view.length - offset < PAGE_HEADER_BYTES || view.readUInt32LE(offset) !== CAPTURE) {
      throw undecodable(pages === 0 ? 'not an Ogg stream' : `no Ogg page at byte ${offset}`);
    }
    if (view[offset + 4] !== 0) throw undecodable('unknown Ogg version');
    const granule = view.readBigInt64LE(offset + 6);
    const pageSerial = view.readUInt32LE(offset + 14);
    const segments = view[offset + 26]!;
    const bodyStart = offset + PAGE_HEADER_BYTES + segments;
    if (bodyStart > view.length) throw undecodable('truncated Ogg page header');
    let bodyLength = 0;
    for (let i = 0; i < segments; i++) bodyLength += view[offset + PAGE_HEADER_BYTES + i]!;
    if (bodyStart + bodyLength > view.length) throw undecodable('truncated Ogg page');

    if (pages === 0) {
      head = readOpusHead(view.subarray(bodyStart, bodyStart + bodyLength));
      serial = pageSerial;
    } else if (pageSerial === serial && granule !== NO_GRANULE) {
      lastGranule = granule;
    }
    pages++;
    offset = bodyStart + bodyLength;
  }
  if (!head) throw undecodable('empty file');
  if (lastGranule === undefined) throw undecodable('no audio pages');
  const samples = Number(lastGranule) - head.preSkip;
  return { ...head, durationSeconds: Math.max(0, samples) / OPUS_GRANULE_RATE, pages };
}

function readOpusHead(packet: Buffer): {
  channels: number;
  preSkip: number;
  inputSampleRate: number;
} {
  if (packet.length < 19 || packet.toString('latin1', 0, 8) !== 'OpusHead') {
    const vorbis = packet.length > 7 && packet.toString('latin1', 1, 7) === 'vorbis';
    throw new AudioError({
      kind: 'unsupported_format',
      message: vorbis ? 'Ogg stream carries Vorbis, not Opus' : 'Ogg stream does not carry Opus',
    });
  }
  const channels = packet[9]!;
  if (channels === 0) throw undecodable('OpusHead declares no channels');
  return { channels, preSkip: packet.readUInt16LE(10), inputSampleRate: packet.readUInt32LE(12) };
}

function undecodable(message: string): AudioError {
  return new AudioError({ kind: 'undecodable', message });
}
