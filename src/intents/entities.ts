import { isPriceNumber, type Features } from './features';
import type { ItemEntity } from './intent.types';
import { Cue } from './lexicon';
import { phoneticKey } from './phonetic-key';
import { singularize } from './singularize';
import { NumberKind, type TokenInfo } from './token-analyzer';
import { TENS_WITH_UNITS } from './number-words';

const KEY = {
  de: phoneticKey('de'),
  del: phoneticKey('del'),
  y: phoneticKey('y'),
  dozen: new Set(['docena', 'docenas'].map(phoneticKey)),
  pair: new Set(['par', 'pares'].map(phoneticKey)),
  moneyUnits: new Set(['pesos', 'peso', 'varos', 'baros', 'mxn'].map(phoneticKey)),
};
const MAX_PRODUCT_WORDS = 5;

const isUnit = (token: TokenInfo): boolean => token.cues.includes(Cue.Unit);
const isOf = (token: TokenInfo): boolean => token.key === KEY.de || token.key === KEY.del;

/** "vendí 2 cocas y una sabritas" → [{2, 'coca'}, {1, 'sabritas'}]. */
export function extractItems(f: Features): ItemEntity[] {
  const { tokens, count } = f;
  const items: ItemEntity[] = [];
  for (let i = 0; i < count; i++) {
    const token = tokens[i];
    if (token.numberKind === NumberKind.None || isPriceNumber(tokens, i, count)) continue;
    let quantity = token.value;
    let j = i + 1;
    // "treinta y dos"
    if (
      TENS_WITH_UNITS.has(quantity) &&
      j + 1 < count &&
      tokens[j].key === KEY.y &&
      tokens[j + 1].numberKind === NumberKind.Word &&
      tokens[j + 1].value < 10
    ) {
      quantity += tokens[j + 1].value;
      j += 2;
    }
    // "media docena", "dos docenas", "un par de"
    if (j < count && KEY.dozen.has(tokens[j].key) && !KEY.dozen.has(token.key)) {
      quantity *= 12;
      j++;
    } else if (j < count && KEY.pair.has(tokens[j].key)) {
      quantity *= 2;
      j++;
    }
    if (
      j < count &&
      isOf(tokens[j]) &&
      (KEY.dozen.has(tokens[j - 1].key) || KEY.pair.has(tokens[j - 1].key))
    ) {
      j++;
    }
    const end = productEnd(tokens, j, count);
    const product = productText(tokens, j, end);
    if (product !== undefined && quantity > 0) items.push({ quantity, product });
    if (end > i + 1) i = end - 1;
  }
  return items;
}

/**
 * Words of a product phrase starting at `start`: content words, pack units and "de" between
 * them ("caja de coca", "coca de 600", "leche lala"). Stops at "y", a cue, a price, a date word.
 */
function productEnd(tokens: readonly TokenInfo[], start: number, count: number): number {
  let j = start;
  let words = 0;
  while (j < count && words < MAX_PRODUCT_WORDS) {
    const token = tokens[j];
    if (token.content || (isUnit(token) && token.numberKind === NumberKind.None)) {
      j++;
      words++;
      continue;
    }
    if (isOf(token) && words > 0 && j + 1 < count) {
      const next = tokens[j + 1];
      const sizeNumber =
        next.numberKind === NumberKind.Digits && !isPriceNumber(tokens, j + 1, count);
      if (next.content || sizeNumber) {
        j += sizeNumber ? 2 : 1;
        words += sizeNumber ? 2 : 1;
        if (sizeNumber && j < count && isUnit(tokens[j])) j++;
        continue;
      }
    }
    break;
  }
  return j;
}

function productText(tokens: readonly TokenInfo[], start: number, end: number): string | undefined {
  let hasContent = false;
  for (let k = start; k < end; k++) if (tokens[k].content) hasContent = true;
  if (!hasContent) return undefined;
  let text = singularize(tokens[start].text);
  for (let k = start + 1; k < end; k++) text += ` ${tokens[k].text}`;
  return text;
}

/** The first product phrase in a question: "a cómo tengo el aceite" → "aceite". */
export function extractProduct(f: Features): string | undefined {
  const { tokens, count, consumed } = f;
  for (let i = 0; i < count; i++) {
    if (!tokens[i].content || consumed[i] === 1) continue;
    return productText(tokens, i, productEnd(tokens, i, count));
  }
  return undefined;
}

/**
 * The price in cents: "$26.50", "a 18", "a 18 pesos", "cuesta 20". A raise "de 2 pesos"
 * ("sube 2 pesos la coca") is a change, not a price, so it is left out.
 */
export function extractPriceCents(f: Features, allowTrailingNumber: boolean): number | undefined {
  const { tokens, count } = f;
  const isDelta = f.counts[Cue.Raise] > 0 || f.counts[Cue.Lower] > 0;
  for (let i = 0; i < count; i++) {
    const token = tokens[i];
    let value = token.value;
    if (token.text === '$' && i + 1 < count && tokens[i + 1].numberKind === NumberKind.Digits) {
      value = tokens[i + 1].value;
    } else if (token.numberKind === NumberKind.None || !isPriceNumber(tokens, i, count)) {
      continue;
    }
    const next = i + 1 < count ? tokens[i + 1] : undefined;
    const prev = i > 0 ? tokens[i - 1] : undefined;
    const bareAmount = next !== undefined && KEY.moneyUnits.has(next.key) && !token.money;
    const introduced = prev !== undefined && (prev.money || prev.key === phoneticKey('a'));
    if (isDelta && bareAmount && !introduced) continue;
    if (Number.isFinite(value) && value > 0) return Math.round(value * 100);
  }
  if (allowTrailingNumber && count > 1) {
    // "precio del aceite 123", "cámbiale el precio a la lala, ahora 27"
    const last = tokens[count - 1];
    if (last.numberKind === NumberKind.Digits && last.value > 0)
      return Math.round(last.value * 100);
  }
  return undefined;
}
