/**
 * OpenRouter's error bodies: `{"error":{"code":<status>,"message":"...","metadata":{...}}}`,
 * with messages and metadata close to what the real service sends for each status.
 */

export interface OpenRouterErrorBody {
  error: { code: number | string; message: string; metadata?: Record<string, unknown> };
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'Invalid request: messages must be a non-empty array',
  401: 'No auth credentials found',
  402: 'Insufficient credits. Add more using https://openrouter.ai/credits',
  403: 'Your chosen model requires moderation and your input was flagged',
  404: 'No endpoints found for this model',
  408: 'Request timed out upstream',
  429: 'Rate limit exceeded: too many requests, please retry shortly',
  500: 'Internal Server Error',
  502: 'Provider returned error',
  503: 'No available model provider that meets your routing requirements',
};

export function defaultErrorMessage(status: number): string {
  return DEFAULT_MESSAGES[status] ?? `Upstream error ${status}`;
}

/** Metadata the real service attaches: moderation reasons on 403, the provider on 502. */
export function defaultErrorMetadata(
  status: number,
  model: string | null,
): Record<string, unknown> | undefined {
  if (status === 403) {
    return {
      reasons: ['harassment'],
      flagged_input: '...',
      provider_name: 'OpenAI',
      model_slug: model ?? 'unknown',
    };
  }
  if (status === 502) return { provider_name: 'FakeProvider', raw: 'upstream connection reset' };
  return undefined;
}

export function errorBody(
  code: number | string,
  message: string,
  metadata?: Record<string, unknown>,
): OpenRouterErrorBody {
  return { error: metadata ? { code, message, metadata } : { code, message } };
}
