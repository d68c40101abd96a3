import { isPriceNumber, type Features } from './features';
import type { ItemEntity } from './intent.types';
import { Cue } from './lexicon';
import { phoneticKey } from './phonetic-key';
import { singularize, singularizeModifier } from './singularize';
import { NumberKind, type TokenInfo } from './token-analyzer';
import { TENS_WITH_UNITS } from './number-words';

const KEY = {
  a: phoneticKey('a'),
  de: phoneticKey('de'),
  del: phoneticKey('del'),
  y: phoneticKey('y'),
  dozen: new Set(['docena', 'docenas'].map(phoneticKey)),
  pair: new Set(['par', 'pares'].map(phoneticKey)),
  moneyUnits: new Set(
    ['pesos', 'peso', 'varos', 'baros', 'mxn', 'centavos', 'centavo'].map(phoneticKey),
  ),
  centavos: new Set(['centavos', 'centavo'].map(phoneticKey)),
};
const MAX_PRODUCT_WORDS = 5;

const isUnit = (token: TokenInfo): boolean => token.cues.includes(Cue.Unit);
const isOf = (token: TokenInfo): boolean => token.key === KEY.de || token.key === KEY.del;

/** An item plus where it sits in the message, so a price can be tied to the item before it. */
export interface ItemSpan extends ItemEntity {
  /** Token index of the quantity. */
  start: number;
  /** Token index just past the product words. */
  end: number;
}

/** "vendí 2 cocas y una sabritas" → [{2, 'coca'}, {1, 'sabritas'}]. */
export function extractItems(f: Features): ItemEntity[] {
  return scanItems(f).map(({ quantity, product }) => ({ quantity, product }));
}

/** Quantity-first items ("2 cocas", "media docena de huevos", "treinta y dos maruchan"). */
export function scanItems(f: Features): ItemSpan[] {
  const { tokens, count } = f;
  const items: ItemSpan[] = [];
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
    if (product !== undefined && quantity > 0) items.push({ quantity, product, start: i, end });
    if (end > i + 1) i = end - 1;
  }
  return items;
}

/**
 * Sale items with the unit price the message gives right after them: "2 cocas a 18 c/u",
 * "una coca de 600 a $18", "2 cocas de 600 y una sabritas a 19" (only the sabritas).
 * A price is tied to the closest item before it; an item gets at most one price.
 */
export function extractSaleItems(f: Features): ItemEntity[] {
  const spans = scanItems(f);
  const { tokens, count } = f;
  const items: ItemEntity[] = spans.map(({ quantity, product }) => ({ quantity, product }));
  let next = 0; // first span that starts after the price being looked at
  for (let i = 0; i < count; i++) {
    while (next < spans.length && spans[next].start < i) next++;
    const owner = next - 1;
    if (owner < 0 || spans[owner].end > i || items[owner].unitPriceCents !== undefined) continue;
    const cents = priceCentsAt(tokens, i, count);
    if (cents !== undefined) items[owner].unitPriceCents = cents;
  }
  return items;
}

/** The price in cents starting at token i ("$18", "18 pesos", "a 18"), if there is one. */
export function priceCentsAt(
  tokens: readonly TokenInfo[],
  i: number,
  count: number,
): number | undefined {
  const token = tokens[i];
  let value = NaN;
  if (token.text === '$' && i + 1 < count && tokens[i + 1].numberKind === NumberKind.Digits) {
    value = tokens[i + 1].value;
  } else if (token.numberKind !== NumberKind.None && isPriceNumber(tokens, i, count)) {
    value = token.value;
    // "50 centavos" is already in cents.
    if (i + 1 < count && KEY.centavos.has(tokens[i + 1].key)) {
      return value > 0 ? Math.round(value) : undefined;
    }
  }
  return Number.isFinite(value) && value > 0 ? Math.round(value * 100) : undefined;
}

/**
 * Words of a product phrase starting at `start`: content words, pack units and "de" between
 * them ("caja de coca", "coca de 600", "leche lala"). Stops at "y", a cue, a price, a date word.
 */
export function productEnd(tokens: readonly TokenInfo[], start: number, count: number): number {
  let j = start;
  let words = 0;
  while (j < count && words < MAX_PRODUCT_WORDS) {
    const token = tokens[j];
    if (token.content || (isUnit(token) && token.numberKind === NumberKind.None)) {
      j++;
      words++;
      continue;
    }
    // "coca 600", "coca 2 litros": a size right after the product. A small bare number is a
    // count ("sabritas 25") or the next item's quantity ("2 cocas 3 sabritas").
    if (words > 0 && isSizeNumber(tokens, j, count)) {
      j += j + 1 < count && isUnit(tokens[j + 1]) ? 2 : 1;
      words++;
      continue;
    }
    if (isOf(token) && words > 0 && j + 1 < count) {
      const next = tokens[j + 1];
      const sizeNumber =
        next.numberKind === NumberKind.Digits && !isPriceNumber(tokens, j + 1, count);
      // "coca de lata", "leche de caja": the pack is a variant of the product.
      const packVariant = isUnit(next) && next.numberKind === NumberKind.None;
      if (next.content || sizeNumber || packVariant) {
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

const SIZE_UNITS = new Set(
  ['litro', 'litros', 'lt', 'lts', 'l', 'ml', 'gr', 'g', 'gramos', 'kg', 'oz', 'onzas'].map(
    phoneticKey,
  ),
);
const MIN_BARE_SIZE = 100;

function isSizeNumber(tokens: readonly TokenInfo[], j: number, count: number): boolean {
  const token = tokens[j];
  if (token.numberKind !== NumberKind.Digits || isPriceNumber(tokens, j, count)) return false;
  const next = j + 1 < count ? tokens[j + 1] : undefined;
  if (next !== undefined && SIZE_UNITS.has(next.key)) return true;
  return token.value >= MIN_BARE_SIZE && (next === undefined || !next.content);
}

/**
 * The product words as the owner wrote them, folded: the head noun in singular and, when it
 * was plural, the words agreeing with it up to the first "de" ("panes dulces" → "pan dulce",
 * "cajas de huevos" → "caja de huevos", "sabritas adobadas" stays: "sabritas" is a brand).
 */
export function productText(
  tokens: readonly TokenInfo[],
  start: number,
  end: number,
): string | undefined {
  let hasContent = false;
  for (let k = start; k < end; k++) if (tokens[k].content) hasContent = true;
  if (!hasContent) return undefined;
  const head = tokens[start].text;
  let text = singularize(head);
  let agreeing = text !== head;
  for (let k = start + 1; k < end; k++) {
    const token = tokens[k];
    if (isOf(token) || token.numberKind !== NumberKind.None) agreeing = false;
    text += ` ${agreeing && token.content ? singularizeModifier(token.text) : token.text}`;
  }
  return text;
}

/** The first product phrase in a question: "a cómo tengo el aceite" → "aceite". */
export function extractProduct(f: Features): string | undefined {
  const span = firstProductSpan(f);
  return span === undefined ? undefined : productText(f.tokens, span[0], span[1]);
}

/** [start, end) of the first product phrase that no lexicon phrase swallowed. */
export function firstProductSpan(f: Features): [number, number] | undefined {
  const { tokens, count, consumed } = f;
  for (let i = 0; i < count; i++) {
    if (!tokens[i].content || consumed[i] === 1) continue;
    return [i, productEnd(tokens, i, count)];
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
    const cents = priceCentsAt(tokens, i, count);
    if (cents === undefined) continue;
    if (isDelta && isBareAmount(tokens, i, count)) continue;
    return cents;
  }
  if (allowTrailingNumber && count > 1) {
    // "precio del aceite 123", "cámbiale el precio a la lala, ahora 27"
    const last = tokens[count - 1];
    if (last.numberKind === NumberKind.Digits && last.value > 0)
      return Math.round(last.value * 100);
  }
  return undefined;
}

/** "2 pesos" with nothing introducing it ("sube la coca 2 pesos"): an amount to add or cut. */
export function isBareAmount(tokens: readonly TokenInfo[], i: number, count: number): boolean {
  const token = tokens[i];
  if (token.text === '$' || token.money) return false;
  const next = i + 1 < count ? tokens[i + 1] : undefined;
  const prev = i > 0 ? tokens[i - 1] : undefined;
  const introduced = prev !== undefined && (prev.money || prev.key === KEY.a);
  return next !== undefined && KEY.moneyUnits.has(next.key) && !introduced;
}
