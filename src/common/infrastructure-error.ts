import { StorageUnavailableError } from './errors/storage-unavailable.error';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

const MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Connection is closed/i,
  /Reached the max retries per request limit/i,
  /Client has encountered a connection error/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /terminating connection due to administrator command/i,
];

/**
 * Whether an error means PostgreSQL or Redis was unreachable (worth retrying for longer,
 * once they are back) rather than something wrong with the message or the code.
 */
export function isInfrastructureError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    if (e instanceof StorageUnavailableError) return true;
    const x = e as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    const code = typeof x.code === 'string' ? x.code : '';
    // SQLSTATE class 08 (connection exception), 57P0x (server shutting down), 53300 (too many connections).
    if (NETWORK_CODES.has(code) || /^08|^57P0|^53300$/.test(code)) return true;
    if (typeof x.message === 'string' && MESSAGES.some((m) => m.test(x.message as string)))
      return true;
    e = x.driverError ?? x.cause;
  }
  return false;
}
