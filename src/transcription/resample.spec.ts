import { resample } from './resample';

function tone(hz: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / rate);
  return out;
}

/** RMS away from the edges (the filter ramps in and out there). */
function rms(samples: Float32Array, margin = 200): number {
  let sum = 0;
  for (let i = margin; i < samples.length - margin; i++) sum += samples[i]! ** 2;
  return Math.sqrt(sum / (samples.length - 2 * margin));
}

/** Upward zero crossings per second: the dominant frequency of a clean tone. */
function frequency(samples: Float32Array, rate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 && samples[i]! >= 0) crossings++;
  return (crossings * rate) / samples.length;
}

describe('resample', () => {
  it('48 kHz → 16 kHz keeps a 1 kHz tone: a third of the samples, same pitch and level', () => {
    const input = tone(1000, 48_000, 1);
    const out = resample(input, 48_000, 16_000);
    expect(out.length).toBe(16_000);
    expect(Math.abs(frequency(out, 16_000) - 1000)).toBeLessThanOrEqual(2);
    // A 0.5-amplitude sine has an RMS of 0.5/√2.
    expect(rms(out) / (0.5 / Math.SQRT2)).toBeCloseTo(1, 2);
  });

  it('filters out what 16 kHz cannot carry instead of folding it into the speech band', () => {
    // 12 kHz would alias to 4 kHz without the low-pass.
    const out = resample(tone(12_000, 48_000, 1), 48_000, 16_000);
    const attenuationDb = 20 * Math.log10(rms(out) / (0.5 / Math.SQRT2));
    expect(attenuationDb).toBeLessThan(-40);
  });

  it('keeps a constant signal constant', () => {
    const out = resample(new Float32Array(4800).fill(0.25), 48_000, 16_000);
    for (let i = 100; i < out.length - 100; i++) expect(out[i]).toBeCloseTo(0.25, 4);
  });

  it('handles ratios that are not whole numbers (22.05 kHz → 16 kHz)', () => {
    const out = resample(tone(440, 22_050, 1), 22_050, 16_000);
    expect(out.length).toBe(16_000);
    expect(Math.abs(frequency(out, 16_000) - 440)).toBeLessThanOrEqual(2);
    expect(rms(out) / (0.5 / Math.SQRT2)).toBeCloseTo(1, 2);
  });

  it('copies when the rates match and refuses nonsense rates', () => {
    const input = tone(100, 16_000, 0.01);
    const out = resample(input, 16_000, 16_000);
    expect(Array.from(out)).toEqual(Array.from(input));
    expect(out).not.toBe(input);
    expect(() => resample(input, 0, 16_000)).toThrow(RangeError);
  });
});
