/**
 * PostgreSQL text and jsonb reject NUL characters and unpaired UTF-16 surrogates, which
 * valid JSON may still carry. Stored webhook data is cleaned with this first, so odd input
 * is stored instead of turning into a 5xx (which Meta would retry for days).
 */
export function pgSafeString(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.toWellFormed().replace(/\u0000/g, '');
}

export function pgSafeJson<T>(value: T): T {
  if (typeof value === 'string') return pgSafeString(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => pgSafeJson(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[pgSafeString(k)] = pgSafeJson(v);
    return out as T;
  }
  return value;
}
