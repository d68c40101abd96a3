/**
 * The fake's own RIFF/WAVE reader (it does not trust the code under test to have written a
 * valid file): walks the chunks, reads fmt, checks that the data chunk is complete, and
 * measures the duration from the data length.
 */
export interface WavInfo {
  /** 1 = integer PCM. */
  audioFormat: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  dataBytes: number;
  seconds: number;
}

export function inspectWav(bytes: Buffer): WavInfo | { problem: string } {
  if (bytes.length < 12) return { problem: 'shorter than a RIFF header' };
  if (bytes.toString('latin1', 0, 4) !== 'RIFF') return { problem: 'no RIFF signature' };
  if (bytes.toString('latin1', 8, 12) !== 'WAVE') return { problem: 'RIFF file is not WAVE' };
  const riffSize = bytes.readUInt32LE(4);
  if (riffSize + 8 !== bytes.length) {
    return { problem: `RIFF size says ${riffSize + 8} bytes, file has ${bytes.length}` };
  }
  let fmt: Omit<WavInfo, 'dataBytes' | 'seconds'> | undefined;
  let dataBytes: number | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('latin1', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const start = offset + 8;
    if (start + size > bytes.length) return { problem: `chunk "${id}" runs past the end` };
    if (id === 'fmt ') {
      if (size < 16) return { problem: 'fmt chunk too short' };
      const channels = bytes.readUInt16LE(start + 2);
      const sampleRate = bytes.readUInt32LE(start + 4);
      const byteRate = bytes.readUInt32LE(start + 8);
      const blockAlign = bytes.readUInt16LE(start + 12);
      const bitsPerSample = bytes.readUInt16LE(start + 14);
      if (blockAlign !== (channels * bitsPerSample) / 8 || byteRate !== sampleRate * blockAlign) {
        return { problem: 'fmt chunk is inconsistent (block align / byte rate)' };
      }
      fmt = { audioFormat: bytes.readUInt16LE(start), channels, sampleRate, bitsPerSample };
    } else if (id === 'data') {
      dataBytes = size;
    }
    offset = start + size + (size % 2); // chunks are word-aligned
  }
  if (!fmt) return { problem: 'no fmt chunk' };
  if (dataBytes === undefined) return { problem: 'no data chunk' };
  const frame = (fmt.channels * fmt.bitsPerSample) / 8;
  if (frame === 0 || dataBytes % frame !== 0) return { problem: 'data is not whole frames' };
  return { ...fmt, dataBytes, seconds: dataBytes / (frame * fmt.sampleRate) };
}
