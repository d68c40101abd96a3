import { backoffDelayMs, retryAfterMs, sleep } from './backoff';

const headers = (values: Record<string, string>) => new Headers(values);

describe('backoffDelayMs (full jitter)', () => {
  it('draws between 0 and base × 2^(retry-1), capped at max', () => {
    expect(backoffDelayMs(1, 500, 8_000, () => 0.999)).toBe(499);
    expect(backoffDelayMs(3, 500, 8_000, () => 0.5)).toBe(1_000);
    expect(backoffDelayMs(10, 500, 8_000, () => 0.999)).toBeLessThan(8_000);
    expect(backoffDelayMs(2, 500, 8_000, () => 0)).toBe(0);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('reads delta-seconds, HTTP dates and retry-after-ms', () => {
    expect(retryAfterMs(headers({ 'retry-after': '3' }), now)).toBe(3_000);
    expect(retryAfterMs(headers({ 'retry-after': '1.5' }), now)).toBe(1_500);
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:10 GMT' }), now)).toBe(
      10_000,
    );
    expect(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
  });

  it('ignores absent or unreadable values', () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs(headers({}), now)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
  });
});

describe('sleep', () => {
  it('is cut short by an abort signal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    // Uncut, this sleep would outlast the test's timeout and fail it.
    await sleep(600_000, controller.signal);
    expect(controller.signal.aborted).toBe(true);
  });
});
