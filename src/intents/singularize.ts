/**
 * Head-noun singular for product lookups ("cocas" → "coca", "panes" → "pan", "jabones" →
 * "jabon"). Brand names that look plural stay as they are ("sabritas", "doritos"); a brand
 * that is singular ("gansito") loses the plural like any noun.
 */
const KEEP_AS_IS = new Set([
  'sabritas',
  'doritos',
  'takis',
  'cheetos',
  'chetos',
  'ruffles',
  'fritos',
  'rancheritos',
  'chokis',
  'marias',
  'mas',
  'tres',
  'seis',
  'tenis',
  'crisis',
  'lunes',
  'gas',
  'bus',
]);
const IRREGULAR: Readonly<Record<string, string>> = {
  chiles: 'chile',
  chicles: 'chicle',
  dulces: 'dulce',
  nueces: 'nuez',
  arroces: 'arroz',
  luces: 'luz',
  lapices: 'lapiz',
};

export function singularize(word: string): string {
  if (word.length < 4 || !word.endsWith('s') || KEEP_AS_IS.has(word)) return word;
  const irregular = IRREGULAR[word];
  if (irregular !== undefined) return irregular;
  if (word.endsWith('es')) {
    const before = word[word.length - 3];
    const beforeThat = word[word.length - 4];
    // Consonant-final nouns take "-es": pan → panes, jabón → jabones, tamal → tamales.
    if ('nrdj'.includes(before)) return word.slice(0, -2);
    if (before === 'l' && 'aeiou'.includes(beforeThat)) return word.slice(0, -2);
  }
  return word.slice(0, -1);
}

/**
 * Plural of a word agreeing with a plural head noun ("panes dulces", "huevos rojos",
 * "jabones zotes"): adjectives and brand words lose the plural the way adjectives do
 * ("grandes" → "grande", "azules" → "azul"), which differs from nouns ("paredes" → "pared").
 */
export function singularizeModifier(word: string): string {
  if (word.length < 4 || !word.endsWith('s') || KEEP_AS_IS.has(word)) return word;
  const irregular = IRREGULAR[word];
  if (irregular !== undefined) return irregular;
  if (word.endsWith('es') && 'lrn'.includes(word[word.length - 3])) return word.slice(0, -2);
  return word.slice(0, -1);
}
