import { encodeWav16 } from './wav';

describe('encodeWav16', () => {
  it('writes the canonical 44-byte RIFF/WAVE header and little-endian samples', () => {
    const wav = encodeWav16(new Float32Array([0, 1, -1, 0.5]), 16_000);
    // Worked out by hand: 4 samples × 2 bytes = 8 data bytes, RIFF size 36 + 8.
    const expected = Buffer.concat([
      Buffer.from('RIFF'),
      u32(44),
      Buffer.from('WAVEfmt '),
      u32(16),
      u16(1), // PCM
      u16(1), // mono
      u32(16_000),
      u32(32_000), // byte rate
      u16(2), // block align
      u16(16),
      Buffer.from('data'),
      u32(8),
      i16(0),
      i16(32767),
      i16(-32768),
      i16(16384), // round(0.5 × 32767)
    ]);
    expect(wav.equals(expected)).toBe(true);
  });

  it('clips samples outside [-1, 1]', () => {
    const wav = encodeWav16(new Float32Array([2, -3]), 8_000);
    expect(wav.readInt16LE(44)).toBe(32767);
    expect(wav.readInt16LE(46)).toBe(-32768);
  });
});

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}
function i16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16LE(n);
  return b;
}
