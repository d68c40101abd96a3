import { backoffDelay, sleep } from '../common/retry';

/** The pause helper the gateway waits with (shared with the Graph API client). */
export { sleep };

/**
 * Waits between tries, counting retries from 1 (the first retry waits up to `baseMs`). Full
 * jitter spreads retries from many workers hitting the same rate limit; the formula is the
 * project's one in common/retry.
 */
export function backoffDelayMs(
  retry: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  return backoffDelay(Math.max(0, retry - 1), baseMs, maxMs, random);
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110), plus the non-standard
 * retry-after-ms some gateways send. Undefined when absent or unreadable.
 */
export function retryAfterMs(
  headers: { get(name: string): string | null } | undefined,
  now: number,
): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) {
    return Math.max(0, Number(ms));
  }
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
