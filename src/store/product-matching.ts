/**
 * Finding "the coca" in a shop's catalogue. Owners type brand nicknames, plurals, no accents
 * and typos, so both the query and every name/alias go through the same key function and are
 * ranked in JS. A shop has a few hundred products at most, and the ranking needs the same
 * folding on both sides (accents, plurals), which plain SQL cannot do without extensions
 * (unaccent / pg_trgm are not guaranteed to be installed).
 */

import { phoneticKey } from '../intents/phonetic-key';

export interface MatchableProduct {
  name: string;
  aliases: readonly string[];
}

export interface RankedProduct<T extends MatchableProduct> {
  product: T;
  /** 100 exact alias … 95 exact name … 55 substring … below that: typo-tolerant similarity. */
  score: number;
}

/** Below this a candidate is a typo-level guess, shown only when nothing better exists. */
export const STRONG_MATCH = 55;
const FUZZY_MIN_SIMILARITY = 0.45;
const SUGGESTION_MIN_SIMILARITY = 0.2;

/** Lowercase, accents stripped (ñ → n), punctuation to spaces, digits split from letters. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/(\d)([a-z])/g, '$1 $2')
    .replace(/([a-z])(\d)/g, '$1 $2')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * A plural-insensitive key for one word, applied identically to queries and names, so it only
 * has to be consistent, not grammatical: "cocas"/"coca" → "coca", "panes"/"pan" → "pan",
 * "jabones"/"jabon" → "jabon", "chiles"/"chile" → "chil", "sabritas" → "sabrita" on both sides.
 */
export function wordKey(word: string): string {
  const unit = UNIT_WORDS[word];
  if (unit) return unit;
  let w = word;
  if (w.length > 3 && w.endsWith('s') && !/\d/.test(w)) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e') && 'lnrdj'.includes(w[w.length - 2])) w = w.slice(0, -1);
  return w;
}

/** Sizes as owners say them and as catalogues write them: "2 litros" is "2 L". */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  l: 'l',
  lt: 'l',
  lts: 'l',
  litro: 'l',
  litros: 'l',
  ml: 'ml',
  mililitro: 'ml',
  mililitros: 'ml',
  g: 'g',
  gr: 'g',
  grs: 'g',
  gramo: 'g',
  gramos: 'g',
  kg: 'kg',
  kilo: 'kg',
  kilos: 'kg',
  kilogramo: 'kg',
  kilogramos: 'kg',
};

/** Words that join a product phrase and name nothing: "coca de 2 litros", "la de a litro". */
const FILLER = new Set(['de', 'del', 'la', 'el', 'las', 'los', 'con', 'a', 'y', 'en']);

/**
 * How one unit of a product is wrapped, said before its name: "un paquete de galletas marías"
 * is one Galletas Marías, "una bolsa de sabritas" one Sabritas, "una cajetilla de marlboro" one
 * pack of Marlboro (what the shop sells as a unit). Not "caja" or "six": a box
 * holds several units, so "una caja de maruchan" must not be read as one Maruchan.
 */
const WRAPPER = new Set([
  'paquete',
  'bolsa',
  'pieza',
  'pza',
  'botella',
  'sobre',
  'frasco',
  'cajetilla',
]);

/** The unit keys of UNIT_WORDS ("kg", "l"…): a size when a number comes first. */
const UNIT_KEYS = new Set(Object.values(UNIT_WORDS));

export function matchKey(text: string): string {
  return foldText(text).split(' ').filter(Boolean).map(wordKey).join(' ');
}

/** The key of a query: like matchKey, without the filler words (unless that leaves nothing). */
export function queryKey(text: string): string {
  const words = matchKey(text).split(' ').filter(Boolean);
  // "un kilo de tortillas" measures the quantity; "coca de 2 litros" names a size (a number
  // comes first). A unit word with no number before it is the former and names nothing.
  const meaningful = words.filter(
    (w, i) =>
      !FILLER.has(w) && !WRAPPER.has(w) && !(UNIT_KEYS.has(w) && !/^\d/.test(words[i - 1] ?? '')),
  );
  return (meaningful.length > 0 ? meaningful : words).join(' ');
}

/** How a key sounds: "koka" and "coca", "sabritaz" and "sabritas" meet (a typed sound-alike). */
function soundKey(key: string): string {
  return key.split(' ').map(phoneticKey).join(' ');
}

/** Ranks products for a free-text query, best first; products that do not match are left out. */
export function rankProducts<T extends MatchableProduct>(
  query: string,
  products: readonly T[],
  limit: number,
): RankedProduct<T>[] {
  const q = queryKey(query);
  if (!q) return [];
  const ranked = products
    .map((product) => ({ product, score: scoreProduct(q, product) }))
    .filter((r) => r.score > 0);
  preferFewestExtraWords(q, ranked);
  // Once something really matches, typo-level guesses are noise.
  const hasStrong = ranked.some((r) => r.score >= STRONG_MATCH);
  return ranked
    .filter((r) => !hasStrong || r.score >= STRONG_MATCH)
    .sort(byScoreThenName)
    .slice(0, limit);
}

/** Closest names for a "not found" answer, however weak, so the owner can pick one. */
export function suggestProducts<T extends MatchableProduct>(
  query: string,
  products: readonly T[],
  limit: number,
): T[] {
  const q = queryKey(query);
  if (!q) return [];
  return products
    .map((product) => ({ product, score: similarityToProduct(q, product) }))
    .filter((r) => r.score >= SUGGESTION_MIN_SIMILARITY)
    .sort(byScoreThenName)
    .slice(0, limit)
    .map((r) => r.product);
}

/**
 * A qualified query ("coca 600") that every word of several names contains is about the one
 * that adds the least: "Coca-Cola 600 ml" rather than "Coca-Cola Light 600 ml", whose extra
 * word the owner would have said. The best of them moves one point up, so the tools see a
 * winner; a one-word query ("coca") keeps its tie: the owner named a family, not a product.
 */
function preferFewestExtraWords<T extends MatchableProduct>(q: string, ranked: RankedProduct<T>[]) {
  const queryWords = q.split(' ');
  if (queryWords.length < 2 || ranked.length < 2) return;
  const top = Math.max(...ranked.map((r) => r.score));
  const tied = ranked.filter((r) => r.score === top);
  if (tied.length < 2) return;
  const extra = (p: MatchableProduct) =>
    queryKey(p.name)
      .split(' ')
      .filter((w) => !queryWords.includes(w)).length;
  const counts = tied.map((r) => extra(r.product));
  const fewest = Math.min(...counts);
  if (counts.filter((c) => c === fewest).length === 1) tied[counts.indexOf(fewest)].score += 1;
}

function byScoreThenName<T extends MatchableProduct>(a: RankedProduct<T>, b: RankedProduct<T>) {
  return (
    b.score - a.score ||
    a.product.name.length - b.product.name.length ||
    a.product.name.localeCompare(b.product.name, 'es')
  );
}

function scoreProduct(q: string, product: MatchableProduct): number {
  const name = queryKey(product.name);
  const aliases = product.aliases.map(queryKey).filter(Boolean);
  if (aliases.includes(q)) return 100;
  if (name === q) return 95;
  if (name.startsWith(`${q} `)) return 85;
  if (aliases.some((a) => a.startsWith(`${q} `))) return 80;
  if (name.startsWith(q)) return 75;
  const words = new Set([name, ...aliases].flatMap((k) => k.split(' ')));
  const queryWords = q.split(' ');
  if (queryWords.every((w) => words.has(w))) return 70;
  if (queryWords.every((w) => [...words].some((t) => w.length >= 3 && t.startsWith(w)))) return 65;
  if (name.includes(q) || aliases.some((a) => a.includes(q))) return 55;
  // Spelt as it sounds ("koka", "sabritaz", "jabon sote"): as good as the word itself, one
  // step below the spelt matches so a real name always wins a tie.
  const sound = soundKey(q);
  if (aliases.some((a) => soundKey(a) === sound) || soundKey(name) === sound) return 60;
  // A typo is one word off; a query with a word the product lacks altogether ("coca light"
  // when the shop has no Light) names another product, not this one misspelt.
  if (queryWords.length > 1 && !queryWords.every((w) => hasSimilarWord(w, words))) return 0;
  const similarity = similarityToProduct(q, product);
  return similarity >= FUZZY_MIN_SIMILARITY ? Math.round(similarity * 50) : 0;
}

/** Below this two words are not the same word typed differently. */
const WORD_MIN_SIMILARITY = 0.3;

function hasSimilarWord(word: string, words: Set<string>): boolean {
  if (words.has(word)) return true;
  for (const t of words) if (trigramSimilarity(word, t) >= WORD_MIN_SIMILARITY) return true;
  return false;
}

/** Best of: word-by-word similarity (typos in a word) and whole-key similarity ("cocacola"). */
function similarityToProduct(q: string, product: MatchableProduct): number {
  const keys = [product.name, ...product.aliases].map(queryKey).filter(Boolean);
  const queryWords = q.split(' ');
  let best = 0;
  for (const key of keys) {
    const words = key.split(' ');
    const perWord =
      queryWords.reduce(
        (sum, w) => sum + Math.max(...words.map((t) => trigramSimilarity(w, t))),
        0,
      ) / queryWords.length;
    const compactQuery = q.replace(/ /g, '');
    const compactKey = key.replace(/ /g, '').slice(0, compactQuery.length + 2);
    best = Math.max(best, perWord, trigramSimilarity(compactQuery, compactKey));
  }
  return best;
}

/** Jaccard similarity of padded trigram sets, like pg_trgm's similarity(). */
export function trigramSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const ta = trigrams(a);
  const tb = trigrams(b);
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  const union = ta.size + tb.size - shared;
  return union === 0 ? 0 : shared / union;
}

function trigrams(word: string): Set<string> {
  const padded = `  ${word} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}
