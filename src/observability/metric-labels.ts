/**
 * Metric label values come from closed lists written in code, never from what a payload or an
 * outside service said: a label taking free text gives every distinct text a time series of
 * its own (one webhook POST naming 50 fields once made 50). Anything outside the list is
 * "other".
 */
export function labelFrom<T extends string>(
  known: ReadonlySet<string> | readonly T[],
  value: unknown,
  fallback = 'other',
): string {
  const set: ReadonlySet<string> = Array.isArray(known)
    ? new Set<string>(known as readonly string[])
    : (known as ReadonlySet<string>);
  return typeof value === 'string' && set.has(value) ? value : fallback;
}

/** WhatsApp message types the Cloud API documents (webhook `messages[].type`). */
export const MESSAGE_TYPES: ReadonlySet<string> = new Set([
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'order',
  'system',
  'edit',
  'revoke',
  'unsupported',
  'request_welcome',
]);

/** Meta error codes the Graph client acts on (graph-api.errors.ts); others are "other". */
export const GRAPH_ERROR_CODES: ReadonlySet<string> = new Set([
  '4',
  '190',
  '80007',
  '130429',
  '131026',
  '131047',
  '131056',
  '131000',
  '131008',
  '131009',
  '131051',
  '132000',
  '133010',
]);

export function graphErrorCodeLabel(code: number | null | undefined): string {
  if (code === null || code === undefined) return 'none';
  return labelFrom(GRAPH_ERROR_CODES, String(code));
}
