/**
 * Errors as log lines: name, message, stack, and the few fields that say what happened (a
 * code, a kind, a status). What errors drag along is dropped: TypeORM's query and parameters
 * (the customer's text, phone numbers), the pg driver's error object, an HTTP client's config
 * and request (URLs with tokens, Authorization headers) and response bodies.
 */
const KEPT = ['code', 'kind', 'status', 'statusCode', 'retryable', 'errno', 'sqlState'] as const;
const MAX_DEPTH = 3;

export function serializeError(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) {
    // Already serialized (the log formatter runs first), or something thrown that is not an Error.
    return err !== null && typeof err === 'object'
      ? (err as Record<string, unknown>)
      : { message: String(err) };
  }
  const e = err as Error & Record<string, unknown>;
  const out: Record<string, unknown> = {
    type: e.name,
    message: e.message,
    stack: e.stack,
  };
  for (const key of KEPT) {
    const v = e[key];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = v;
  }
  // pg's SQLSTATE, without the rest of the driver error (detail may quote row values).
  const driver = e.driverError as { code?: unknown } | undefined;
  if (driver && typeof driver.code === 'string') out.sqlState = driver.code;
  const response = e.response as { status?: unknown } | undefined;
  if (response && typeof response.status === 'number') out.status ??= response.status;
  if (e.cause !== undefined && depth < MAX_DEPTH) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

/** Keys censored wherever they appear in a logged object (any depth). */
export const SECRET_KEYS = new Set(
  [
    'authorization',
    'cookie',
    'x-hub-signature-256',
    'apikey',
    'api_key',
    'token',
    'accesstoken',
    'access_token',
    'password',
    'secret',
    'parameters',
    'driverError',
    'config',
  ].map((k) => k.toLowerCase()),
);

export const CENSOR = '[redacted]';

/**
 * A copy of `value` with every secret-named key censored at any depth and every Error
 * serialized by serializeError (pino's path redaction only reaches the depths it is told).
 */
export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value instanceof Error) return serializeError(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value) || depth > 8) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1, seen));
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEYS.has(k.toLowerCase()) ? CENSOR : redactDeep(v, depth + 1, seen);
  }
  return out;
}
