/**
 * What a model answers → the transcript: trimmed, whitespace collapsed, without the quotes or
 * labels some models wrap it in, and empty when the model says it heard nothing.
 */
const WRAPPERS: [string, string][] = [
  ['"', '"'],
  ['“', '”'],
  ['«', '»'],
  ["'", "'"],
];
const LABEL = /^(transcripci[oó]n|transcript)\s*:\s*/i;
const NOTHING_HEARD =
  /^[[(]?\s*(silencio|inaudible|sin voz|sin audio|no se (oye|entiende)( nada)?|vac[ií]o)\s*[\])]?\.?$/i;

export function cleanTranscript(raw: string | null | undefined): string {
  let text = (raw ?? '').replace(/\s+/g, ' ').trim().replace(LABEL, '').trim();
  for (const [open, close] of WRAPPERS) {
    if (text.length >= 2 && text.startsWith(open) && text.endsWith(close)) {
      text = text.slice(open.length, text.length - close.length).trim();
    }
  }
  return NOTHING_HEARD.test(text) ? '' : text;
}
