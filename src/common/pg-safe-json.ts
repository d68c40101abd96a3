/**
 * PostgreSQL text and jsonb reject NUL characters and unpaired UTF-16 surrogates, which
 * valid JSON may still carry. Stored webhook data is cleaned with this first, so odd input
 * is stored instead of turning into a 5xx (which Meta would retry for days).
 */
export function pgSafeString(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.toWellFormed().replace(/\u0000/g, '');
}

/**
 * Deepest nesting kept. Meta's messages are a handful of levels deep; anything past this is
 * an attack (5,000 levels overflowed the stack here and in PostgreSQL's jsonb parser).
 */
export const MAX_JSON_DEPTH = 64;

/** The value nests deeper than MAX_JSON_DEPTH: the caller stores it as malformed. */
export class JsonTooDeepError extends Error {
  override name = 'JsonTooDeepError';
  constructor() {
    super(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

/** Cleans every string and key; throws JsonTooDeepError past MAX_JSON_DEPTH levels. */
export function pgSafeJson<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return pgSafeString(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_JSON_DEPTH) throw new JsonTooDeepError();
  if (Array.isArray(value)) return value.map((v: unknown) => pgSafeJson(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[pgSafeString(k)] = pgSafeJson(v, depth + 1);
  return out as T;
}
