import { normalizeText } from './normalize-text';
import { analyzeToken, NumberKind, type TokenInfo } from './token-analyzer';

/**
 * The learned model's view of a message: its words folded by sound (the same phonetic keys the
 * rules use, so "bendi" and "vendí" are one word), numbers collapsed to '#' and prices to '$',
 * then every character 2-, 3- and 4-gram of that text plus every word. Distinct features only:
 * in messages this short, whether a piece occurs matters, not how often.
 */
export const MIN_NGRAM = 2;
export const MAX_NGRAM = 4;
const MAX_TEXT_LENGTH = 400;
const MAX_TOKENS = 64;

/** " vendi # koka " for "vendí 2 cocas": the string the n-grams are cut from. */
export function foldedText(tokens: readonly TokenInfo[], count: number): string {
  let text = ' ';
  for (let i = 0; i < count && text.length < MAX_TEXT_LENGTH; i++) {
    const token = tokens[i];
    const word = token.money ? '$' : token.numberKind === NumberKind.Digits ? '#' : token.key;
    if (word.length > 0) text += `${word} `;
  }
  return text;
}

/** Calls `visit` once per distinct feature ("w:vendi", " v", "ven", "endi"...). */
export function forEachFeature(text: string, visit: (feature: string) => void): void {
  const seen = new Set<string>();
  const emit = (feature: string): void => {
    if (seen.has(feature)) return;
    seen.add(feature);
    visit(feature);
  };
  for (let n = MIN_NGRAM; n <= MAX_NGRAM; n++) {
    for (let start = 0; start + n <= text.length; start++) {
      const gram = text.slice(start, start + n);
      if (gram.trim() !== '') emit(gram);
    }
  }
  let start = 1;
  while (start < text.length) {
    const end = text.indexOf(' ', start);
    if (end === -1) break;
    if (end > start) emit(`w:${text.slice(start, end)}`);
    start = end + 1;
  }
}

/** foldedText straight from a raw message (training and tools; classifyIntent reuses its tokens). */
export function foldedTextOf(raw: string): string {
  const normalized = normalizeText(raw);
  if (normalized === '') return ' ';
  // Same cap as the classifier's tokenizer, so training sees what classification sees.
  const tokens = normalized.split(' ').slice(0, MAX_TOKENS).map(analyzeToken);
  return foldedText(tokens, tokens.length);
}
