/**
 * WhatsApp's size limits on what we send. A text body holds at most 4,096 characters (longer
 * ones are refused, so a long answer goes out in parts); interactive titles, rows and buttons
 * hold 20–72 characters, counted as a person sees them: an emoji with its skin tone or a flag
 * is one character, and cutting it in half sends garbage (a lone surrogate), so every cut is
 * made between user-perceived characters (Intl.Segmenter graphemes).
 */
export const LIMITS = {
  textBody: 4_096,
  interactiveBody: 1_024,
  buttonTitle: 20,
  listButton: 20,
  sectionTitle: 24,
  rowTitle: 24,
  rowDescription: 72,
  footer: 60,
} as const;

/** A long answer is sent in at most this many messages; what is left after that is cut. */
export const MAX_TEXT_PARTS = 4;

const ELLIPSIS = '…';
const segmenter = new Intl.Segmenter('es', { granularity: 'grapheme' });

export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** At most `max` user-perceived characters; a cut text ends in "…" (which counts as one). */
export function truncateGraphemes(text: string, max: number): string {
  const parts = graphemes(text);
  if (parts.length <= max) return text;
  return `${parts
    .slice(0, Math.max(0, max - 1))
    .join('')
    .trimEnd()}${ELLIPSIS}`;
}

/**
 * A text split into messages of at most `max` UTF-16 units each (never more than the
 * characters Meta counts, however it counts them), cut at a paragraph, a line, a sentence or
 * a space when one is near the end, never inside a grapheme. More than `maxParts` parts: the
 * last one is shortened and ends in "…". Never returns an empty list.
 */
export function splitText(
  text: string,
  max: number = LIMITS.textBody,
  maxParts = MAX_TEXT_PARTS,
): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max && parts.length < maxParts - 1) {
    const cut = cutPoint(rest, max);
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > max) rest = fitUnits(rest, max - ELLIPSIS.length) + ELLIPSIS;
  parts.push(rest);
  return parts.filter((p, i) => p.length > 0 || i === 0);
}

/** Where to cut `text` so the first part fits in `max` units: the latest good boundary. */
function cutPoint(text: string, max: number): number {
  const fitted = fitUnits(text, max).length;
  const head = text.slice(0, fitted);
  // Prefer a boundary in the last third, so parts are not needlessly short.
  const floor = Math.floor(fitted * 0.66);
  for (const boundary of ['\n\n', '\n', '. ', ' ']) {
    const at = head.lastIndexOf(boundary);
    if (at >= floor) return at + boundary.length;
  }
  return fitted;
}

/** The longest prefix of whole graphemes whose UTF-16 length is at most `max`. */
function fitUnits(text: string, max: number): string {
  let out = '';
  for (const g of segmenter.segment(text)) {
    if (out.length + g.segment.length > max) break;
    out += g.segment;
  }
  return out;
}
