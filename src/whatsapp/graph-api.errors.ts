/**
 * Meta's Graph API errors, typed by what the caller should do about them. Codes from
 * ../shared/reference/whatsapp-cloud-api.md and Meta's error-code list.
 */
export type GraphErrorKind =
  | 'outside_window' // 131047: more than 24 h since the customer wrote; only templates now
  | 'rate_limited' // 130429 throughput, 131056 pair rate, HTTP 429
  | 'token_expired' // 190: the access token is invalid or expired
  | 'undeliverable' // 131026: the number cannot receive this message
  | 'invalid_request' // other 4xx: our payload is wrong
  | 'server' // 5xx from Meta
  | 'network' // timeout, connection refused or reset
  // Media download refusals: never retried, the same URL would be refused again.
  | 'media_untrusted_url' // the media URL is not https on one of WHATSAPP_MEDIA_HOSTS
  | 'media_redirect' // the media URL answered 3xx (never followed: the bearer would go along)
  | 'media_too_large' // file_size, Content-Length or the body itself passed the cap
  | 'media_integrity' // the bytes do not hash to the sha256 Meta gave
  | 'unknown';

export class GraphApiError extends Error {
  override name = 'GraphApiError';
  constructor(
    readonly kind: GraphErrorKind,
    message: string,
    readonly status: number | null,
    readonly code: number | null,
    readonly fbtraceId: string | null = null,
  ) {
    super(message);
  }

  /** Worth another try later (the same request may succeed). */
  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'server' || this.kind === 'network';
  }
}

const KIND_BY_CODE: Record<number, GraphErrorKind> = {
  131047: 'outside_window',
  130429: 'rate_limited',
  131056: 'rate_limited',
  4: 'rate_limited',
  80007: 'rate_limited',
  190: 'token_expired',
  131026: 'undeliverable',
};

export function classifyGraphError(status: number | null, code: number | null): GraphErrorKind {
  if (code !== null && KIND_BY_CODE[code]) return KIND_BY_CODE[code];
  if (status === null) return 'network';
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'token_expired';
  if (status >= 500) return 'server';
  if (status >= 400) return 'invalid_request';
  return 'unknown';
}
