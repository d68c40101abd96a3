/**
 * Head-noun singular for product lookups ("cocas" → "coca", "panes" → "pan", "jabones" →
 * "jabon"). Brand names that look plural stay as they are ("sabritas", "doritos").
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
  'gansitos',
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
