import { AudioError } from './audio-error';
import { probeOggOpus } from './ogg-probe';

/** One Ogg page (RFC 3533) carrying one packet; the CRC is not checked by the probe. */
function page(packet: Buffer, granule: bigint, serial = 7, flags = 0): Buffer {
  const lacing: number[] = [];
  let left = packet.length;
  while (left >= 255) {
    lacing.push(255);
    left -= 255;
  }
  lacing.push(left);
  const header = Buffer.alloc(27);
  header.write('OggS', 0, 'latin1');
  header[5] = flags;
  header.writeBigInt64LE(granule, 6);
  header.writeUInt32LE(serial, 14);
  header[26] = lacing.length;
  return Buffer.concat([header, Buffer.from(lacing), packet]);
}

function opusHead(channels: number, preSkip: number): Buffer {
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'latin1');
  head[8] = 1;
  head[9] = channels;
  head.writeUInt16LE(preSkip, 10);
  head.writeUInt32LE(16_000, 12);
  return head;
}

const tags = Buffer.from('OpusTags\0\0\0\0\0\0\0\0');

describe('probeOggOpus', () => {
  it('reads channels, pre-skip and the duration from the last granule position', () => {
    const file = Buffer.concat([
      page(opusHead(1, 312), 0n, 7, 0x02),
      page(tags, 0n),
      page(Buffer.alloc(300, 1), 48_312n),
      page(Buffer.alloc(80, 1), -1n), // no packet ends here: no granule
      page(Buffer.alloc(300, 1), 120_312n, 7, 0x04),
    ]);
    const info = probeOggOpus(file);
    // (120312 − 312) / 48000 = 2.5 s
    expect(info).toEqual({
      channels: 1,
      preSkip: 312,
      inputSampleRate: 16_000,
      durationSeconds: 2.5,
      pages: 5,
    });
  });

  it('ignores pages of another logical stream', () => {
    const file = Buffer.concat([
      page(opusHead(2, 0), 0n, 7, 0x02),
      page(Buffer.alloc(10), 96_000n, 7),
      page(Buffer.alloc(10), 9_600_000n, 8),
    ]);
    expect(probeOggOpus(file).durationSeconds).toBe(2);
  });

  it.each([
    ['not Ogg', Buffer.from('RIFF....WAVEfmt '), 'undecodable'],
    ['a truncated page', page(opusHead(1, 0), 0n).subarray(0, 40), 'undecodable'],
    [
      'junk after a page',
      Buffer.concat([page(opusHead(1, 0), 0n), Buffer.from('junk')]),
      'undecodable',
    ],
    ['headers only, no audio', page(opusHead(1, 0), 0n, 7, 0x02), 'undecodable'],
    ['Vorbis', page(Buffer.from('\x01vorbis\0\0\0\0\x01'), 0n), 'unsupported_format'],
  ])('%s → %s', (_what, bytes, kind) => {
    let err: unknown;
    try {
      probeOggOpus(bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AudioError);
    expect((err as AudioError).kind).toBe(kind);
  });
});
