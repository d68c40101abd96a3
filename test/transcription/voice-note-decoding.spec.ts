import { randomBytes } from 'node:crypto';
import { AudioError, type AudioErrorKind } from '../../src/transcription/audio-error';
import { decodeOggOpus } from '../../src/transcription/decode-ogg-opus';
import { probeOggOpus } from '../../src/transcription/ogg-probe';
import { prepareVoiceNote, type AudioLimits } from '../../src/transcription/prepare-voice-note';
import { soxInfo, speak, wavSamples } from './support/voice-notes';

/** Real Ogg/Opus voice notes (espeak-ng + opusenc) through the real WASM decoder. */
describe('voice note decoding', () => {
  const limits: AudioLimits = { maxSeconds: 120, maxBytes: 16 * 1024 * 1024 };
  const OGG = 'audio/ogg; codecs=opus';

  async function refusal(promise: Promise<unknown>): Promise<AudioError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AudioError);
    return err as AudioError;
  }

  async function expectKind(promise: Promise<unknown>, kind: AudioErrorKind): Promise<AudioError> {
    const err = await refusal(promise);
    expect(err.kind).toBe(kind);
    return err;
  }

  it('decodes a real voice note to the length of the WAV espeak wrote (±0.1 s)', async () => {
    const note = speak('vendí dos cocas');
    const decoded = await decodeOggOpus(note.ogg, { maxSeconds: 120 });
    expect(decoded.sampleRate).toBe(48_000);
    expect(Math.abs(decoded.durationSeconds - note.seconds)).toBeLessThanOrEqual(0.1);
    expect(decoded.samples.length).toBe(Math.round(decoded.durationSeconds * 48_000));
  });

  it('reads the same length from the Ogg headers alone', () => {
    const note = speak('vendí dos cocas');
    const info = probeOggOpus(note.ogg);
    expect(info.channels).toBe(1);
    expect(Math.abs(info.durationSeconds - note.seconds)).toBeLessThanOrEqual(0.1);
  });

  it('produces a 16 kHz mono 16-bit PCM WAV that sox reads, of the same length', async () => {
    const note = speak('llegaron veinticuatro cocas y tres sabritas');
    const prepared = await prepareVoiceNote(note.ogg, OGG, limits);
    const info = soxInfo(prepared.wav);
    expect(info).toMatchObject({ sampleRate: 16_000, channels: 1, bits: 16 });
    expect(info.encoding).toMatch(/Signed Integer PCM/);
    expect(Math.abs(info.seconds - note.seconds)).toBeLessThanOrEqual(0.1);
    expect(prepared.sampleRate).toBe(16_000);
    expect(Math.abs(prepared.durationSeconds - info.seconds)).toBeLessThanOrEqual(0.01);
  });

  it('keeps the speech: the WAV follows sox’s own 16 kHz version of the same audio', async () => {
    const note = speak('vendí dos cocas');
    const ours = wavSamples((await prepareVoiceNote(note.ogg, OGG, limits)).wav);
    const reference = wavSamples(note.reference16k);
    const n = Math.min(ours.length, reference.length);
    // Opus is lossy and both sides filter differently: a correlation this high is the same signal.
    let best = 0;
    for (let lag = -8; lag <= 8; lag++) best = Math.max(best, correlation(ours, reference, n, lag));
    expect(best).toBeGreaterThan(0.9);
    const ratio = rms(ours, n) / rms(reference, n);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.25);
  });

  it('downmixes a stereo note to mono', async () => {
    const note = speak('vendí dos cocas', { stereo: true });
    expect(probeOggOpus(note.ogg).channels).toBe(2);
    const prepared = await prepareVoiceNote(note.ogg, OGG, limits);
    expect(soxInfo(prepared.wav).channels).toBe(1);
    expect(Math.abs(prepared.durationSeconds - note.seconds)).toBeLessThanOrEqual(0.1);
  });

  it('refuses a note longer than AUDIO_MAX_SECONDS from its headers, before decoding', async () => {
    const note = speak('vendí dos cocas', { padSeconds: 125 });
    expect(note.seconds).toBeGreaterThan(120);
    const err = await expectKind(prepareVoiceNote(note.ogg, OGG, limits), 'too_long');
    expect(err.detectedBy).toBe('header');
    expect(Math.abs(err.durationSeconds! - note.seconds)).toBeLessThanOrEqual(0.1);
  });

  it('still refuses a long note whose headers understate its length, while decoding', async () => {
    const note = speak('vendí dos cocas', { padSeconds: 125 });
    const lying = withLastGranule(note.ogg, 48_000); // "one second"
    expect(probeOggOpus(lying).durationSeconds).toBeLessThan(1);
    const err = await expectKind(prepareVoiceNote(lying, OGG, limits), 'too_long');
    expect(err.detectedBy).toBe('decoder');
    // It stopped soon after the limit instead of decoding the whole file.
    expect(err.durationSeconds!).toBeLessThan(note.seconds);
  });

  it('accepts a note right under the limit', async () => {
    const note = speak('vendí dos cocas', { padSeconds: 3 });
    const prepared = await prepareVoiceNote(note.ogg, OGG, {
      ...limits,
      maxSeconds: Math.ceil(note.seconds),
    });
    expect(Math.abs(prepared.durationSeconds - note.seconds)).toBeLessThanOrEqual(0.1);
    await expectKind(
      prepareVoiceNote(note.ogg, OGG, { ...limits, maxSeconds: Math.floor(note.seconds) - 1 }),
      'too_long',
    );
  });

  it('refuses more bytes than AUDIO_MAX_BYTES without looking inside', async () => {
    const note = speak('vendí dos cocas');
    const err = await expectKind(
      prepareVoiceNote(note.ogg, OGG, { ...limits, maxBytes: note.ogg.length - 1 }),
      'too_large',
    );
    expect(err.bytes).toBe(note.ogg.length);
    await expect(
      prepareVoiceNote(note.ogg, OGG, { ...limits, maxBytes: note.ogg.length }),
    ).resolves.toBeDefined();
  });

  it.each([
    ['random bytes', () => randomBytes(4096)],
    ['an empty file', () => Buffer.alloc(0)],
    [
      'an Ogg signature followed by junk',
      () => Buffer.concat([Buffer.from('OggS'), randomBytes(200)]),
    ],
    ['a truncated voice note', () => speak('vendí dos cocas').ogg.subarray(0, 2000)],
  ])('%s is undecodable', async (_what, bytes) => {
    await expectKind(prepareVoiceNote(bytes(), OGG, limits), 'undecodable');
  });

  it('random bytes are undecodable for the decoder itself too', async () => {
    await expectKind(decodeOggOpus(randomBytes(4096), { maxSeconds: 120 }), 'undecodable');
  });

  it('an Ogg file carrying Vorbis is an unsupported format', async () => {
    await expectKind(
      prepareVoiceNote(speak('vendí dos cocas').vorbis, 'audio/ogg', limits),
      'unsupported_format',
    );
  });

  it('an attached MP3 or M4A is refused by its media type', async () => {
    const note = speak('vendí dos cocas');
    await expectKind(prepareVoiceNote(note.ogg, 'audio/mpeg', limits), 'unsupported_format');
    await expectKind(prepareVoiceNote(note.ogg, 'audio/mp4', limits), 'unsupported_format');
  });
});

/** Rewrites the granule position of the last Ogg page (the CRC is left stale). */
function withLastGranule(ogg: Buffer, granule: number): Buffer {
  const copy = Buffer.from(ogg);
  const last = copy.lastIndexOf(Buffer.from('OggS'));
  copy.writeBigInt64LE(BigInt(granule), last + 6);
  return copy;
}

function correlation(a: Float64Array, b: Float64Array, n: number, lag: number): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = Math.max(0, -lag); i < n - Math.max(0, lag); i++) {
    const x = a[i]!;
    const y = b[i + lag]!;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return ab / Math.sqrt(aa * bb);
}

function rms(a: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i]! * a[i]!;
  return Math.sqrt(sum / n);
}
