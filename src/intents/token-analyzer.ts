import { Cue, KNOWN_PRODUCTS, LEXICON, STOP_WORDS, TOKEN_ALIASES } from './lexicon';
import { ARTICLE_NUMBERS, buildNumberWordTable } from './number-words';
import { phoneticKey } from './phonetic-key';
import { PERIOD_WORD_KEYS } from './period-words';

export const NumberKind = { None: 0, Digits: 1, Word: 2, Article: 3 } as const;
export type NumberKind = (typeof NumberKind)[keyof typeof NumberKind];

export interface Phrase {
  /** Phonetic keys of the words after the first one. */
  readonly rest: readonly string[];
  readonly cues: readonly Cue[];
}

/** Everything the classifier needs to know about one normalized word, computed once per word. */
export interface TokenInfo {
  readonly text: string;
  readonly key: string;
  readonly cues: readonly Cue[];
  /** Phrases that start with this word, longest first. */
  readonly phrases: readonly Phrase[] | undefined;
  /** Numeric value, NaN when the word is not a number. */
  readonly value: number;
  readonly numberKind: NumberKind;
  /** "$18" or a bare "$". */
  readonly money: boolean;
  readonly period: boolean;
  readonly stop: boolean;
  /** Not a cue, stop word, number or date: most likely (part of) a product name. */
  readonly content: boolean;
}

interface CompiledLexicon {
  readonly words: Map<string, Cue[]>;
  readonly phrases: Map<string, Phrase[]>;
  readonly stop: Set<string>;
  readonly products: Set<string>;
  readonly numbers: Map<string, number>;
  /** Single-word keys long enough to be matched with one typo, bucketed by length. */
  readonly fuzzyByLength: Map<number, string[]>;
}

const FUZZY_MIN_LENGTH = 6;
const NOT_FUZZY = new Set<Cue>([Cue.Unit, Cue.Filler]);
const CACHE_LIMIT = 50_000;
const LAUGH = /^(?:j[aeiou]|js|xd|lol)+j?$/;
const DIGITS = /^\$?(\d+(?:[.,]\d+)*)$/;
const THOUSANDS = /^\d{1,3}(?:,\d{3})+$/;

export function wordKey(normalizedWord: string): string {
  return phoneticKey(TOKEN_ALIASES[normalizedWord] ?? normalizedWord);
}

const lexicon = compileLexicon();
const cache = new Map<string, TokenInfo>();

/** Memoized: a shop's vocabulary is small, so after warm-up this is one Map lookup per word. */
export function analyzeToken(word: string): TokenInfo {
  let info = cache.get(word);
  if (info === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    info = buildTokenInfo(word);
    cache.set(word, info);
  }
  return info;
}

function buildTokenInfo(text: string): TokenInfo {
  const key = wordKey(text);
  let value = NaN;
  let numberKind: NumberKind = NumberKind.None;
  let money = false;

  const digits = DIGITS.exec(text);
  if (text === '$') money = true;
  else if (digits !== null) {
    money = text.charCodeAt(0) === 0x24;
    value = parseDigits(digits[1]);
    numberKind = NumberKind.Digits;
  } else {
    // "coca zero" is the drink: owners write the number as "cero", and "zero" would fold into it.
    const wordValue = text === 'zero' ? undefined : lexicon.numbers.get(key);
    if (wordValue !== undefined) {
      value = wordValue;
      numberKind = ARTICLE_NUMBERS.has(text) ? NumberKind.Article : NumberKind.Word;
    }
  }

  let cues: readonly Cue[] = lexicon.words.get(key) ?? [];
  const period = PERIOD_WORD_KEYS.has(key);
  const stop = lexicon.stop.has(key) || LAUGH.test(text);
  // A laugh is small talk (Other), marked so a rule can tell it from a real topic.
  if (LAUGH.test(text) && cues.length === 0) cues = [Cue.Other, Cue.Laugh];
  const isNumberish = numberKind !== NumberKind.None || money;
  if (cues.length === 0 && !stop && !period && !isNumberish && !lexicon.products.has(key)) {
    cues = fuzzyCues(key);
  }
  return {
    text,
    key,
    cues,
    phrases: lexicon.phrases.get(key),
    value,
    numberKind,
    money,
    period,
    stop,
    content: cues.length === 0 && !stop && !period && !isNumberish,
  };
}

function parseDigits(raw: string): number {
  if (THOUSANDS.test(raw)) return Number(raw.replace(/,/g, ''));
  return Number(raw.replace(',', '.'));
}

/** One typo (insert, delete, substitute, swap) on a long keyword, when it is unambiguous. */
function fuzzyCues(key: string): readonly Cue[] {
  if (key.length < FUZZY_MIN_LENGTH) return [];
  let found: string | undefined;
  for (let length = key.length - 1; length <= key.length + 1; length++) {
    for (const candidate of lexicon.fuzzyByLength.get(length) ?? []) {
      if (!withinOneEdit(key, candidate)) continue;
      if (
        found !== undefined &&
        !sameCues(lexicon.words.get(found), lexicon.words.get(candidate))
      ) {
        return [];
      }
      found = candidate;
    }
  }
  return found === undefined ? [] : (lexicon.words.get(found) ?? []);
}

function sameCues(a: readonly Cue[] = [], b: readonly Cue[] = []): boolean {
  return a.length === b.length && a.every((cue) => b.includes(cue));
}

export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function compileLexicon(): CompiledLexicon {
  const words = new Map<string, Cue[]>();
  const phrases = new Map<string, Phrase[]>();
  for (const [cueOrCues, list] of LEXICON) {
    const cues: readonly Cue[] = typeof cueOrCues === 'number' ? [cueOrCues] : cueOrCues;
    for (const entry of list.split('|')) {
      const keys = entry.split(' ').map(wordKey);
      if (keys.length === 1) {
        const existing = words.get(keys[0]) ?? [];
        for (const cue of cues) if (!existing.includes(cue)) existing.push(cue);
        words.set(keys[0], existing);
      } else {
        const list = phrases.get(keys[0]) ?? [];
        list.push({ rest: keys.slice(1), cues });
        phrases.set(keys[0], list);
      }
    }
  }
  for (const list of phrases.values()) list.sort((x, y) => y.rest.length - x.rest.length);

  const fuzzyByLength = new Map<number, string[]>();
  for (const [key, cues] of words) {
    if (key.length < FUZZY_MIN_LENGTH || cues.some((cue) => NOT_FUZZY.has(cue))) continue;
    const bucket = fuzzyByLength.get(key.length) ?? [];
    bucket.push(key);
    fuzzyByLength.set(key.length, bucket);
  }
  return {
    words,
    phrases,
    stop: new Set(STOP_WORDS.split('|').map(wordKey)),
    products: new Set(KNOWN_PRODUCTS.split('|').map(wordKey)),
    numbers: buildNumberWordTable(wordKey),
    fuzzyByLength,
  };
}
