import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Real voice notes for the tests, made the way a phone would: speech (espeak-ng, Spanish
 * voice) → WAV → Ogg/Opus (opusenc). Durations come from sox's `soxi`, never from the code
 * under test. Needs the Debian packages espeak-ng, opus-tools and sox (.ci/run installs them).
 */
export interface VoiceNote {
  text: string;
  /** The Ogg/Opus file, as WhatsApp would deliver it. */
  ogg: Buffer;
  /** Length of the WAV it was encoded from, per soxi. */
  seconds: number;
  /** The same speech resampled by sox to 16 kHz mono 16-bit: the reference for comparisons. */
  reference16k: Buffer;
  /** The same speech as Ogg/Vorbis (sox): an Ogg file that is not Opus. */
  vorbis: Buffer;
}

export interface SpeakOptions {
  /** Silence appended after the speech (sox pad), to make long notes. */
  padSeconds?: number;
  /** Encode as two channels (the same speech on both). */
  stereo?: boolean;
}

const cache = new Map<string, VoiceNote>();

export function speak(text: string, options: SpeakOptions = {}): VoiceNote {
  const key = JSON.stringify([text, options]);
  const cached = cache.get(key);
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'voice-note-'));
  try {
    const speech = join(dir, 'speech.wav');
    run('espeak-ng', ['-v', 'es', '-w', speech, text]);
    let wav = speech;
    if (options.padSeconds || options.stereo) {
      wav = join(dir, 'shaped.wav');
      run('sox', [
        speech,
        ...(options.stereo ? ['-c', '2'] : []),
        wav,
        ...(options.padSeconds ? ['pad', '0', String(options.padSeconds)] : []),
      ]);
    }
    const ogg = join(dir, 'note.ogg');
    run('opusenc', ['--quiet', wav, ogg]);
    const reference = join(dir, 'reference.wav');
    run('sox', [wav, '-r', '16000', '-c', '1', '-b', '16', reference]);
    const vorbis = join(dir, 'note.vorbis.ogg');
    run('sox', [wav, vorbis]);
    const note = {
      text,
      ogg: readFileSync(ogg),
      seconds: soxSeconds(wav),
      reference16k: readFileSync(reference),
      vorbis: readFileSync(vorbis),
    };
    cache.set(key, note);
    return note;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What sox says about a WAV: format, rate, channels, bits and length. */
export interface SoxInfo {
  sampleRate: number;
  channels: number;
  bits: number;
  encoding: string;
  seconds: number;
}

export function soxInfo(wav: Buffer): SoxInfo {
  const dir = mkdtempSync(join(tmpdir(), 'voice-wav-'));
  try {
    const file = join(dir, 'check.wav');
    writeFileSync(file, wav);
    return {
      sampleRate: Number(run('soxi', ['-r', file])),
      channels: Number(run('soxi', ['-c', file])),
      bits: Number(run('soxi', ['-b', file])),
      encoding: run('soxi', ['-e', file]),
      seconds: soxSeconds(file),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The samples of a 16-bit PCM WAV's data chunk, as numbers in [-1, 1). */
export function wavSamples(wav: Buffer): Float64Array {
  let offset = 12;
  while (offset + 8 <= wav.length && wav.toString('latin1', offset, offset + 4) !== 'data') {
    offset += 8 + wav.readUInt32LE(offset + 4);
  }
  const start = offset + 8;
  const count = Math.floor(Math.min(wav.readUInt32LE(offset + 4), wav.length - start) / 2);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = wav.readInt16LE(start + i * 2) / 32768;
  return out;
}

function soxSeconds(file: string): number {
  return Number(run('soxi', ['-D', file]));
}

function run(command: string, args: string[]): string {
  return execFileSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}
