import { extractPriceCents, extractProduct, isBareAmount, priceCentsAt } from './entities';
import type { Features } from './features';
import type { PriceChangeEntity, PriceDeltaEntity } from './intent.types';
import { Cue } from './lexicon';
import { wordKey } from './token-analyzer';

/**
 * A price message either reads a price ("¿a cómo está la coca?", "precio del aceite") or
 * changes one ("sube la coca a 20 pesos", "pon el pan a 5", "la coca ahora cuesta 20",
 * "sube la coca 2 pesos"). A change must never be answered as a read, so anything that asks
 * for one is marked, even when the amount or the product is missing.
 */
export interface PriceChangeEntities {
  priceChange?: PriceChangeEntity;
  priceDelta?: PriceDeltaEntity;
  wantsPriceChange?: true;
}

/** "ahora", "nuevo precio", "a partir de hoy", "que cueste": a new price, not a question. */
const NEW_PRICE_WORDS = new Set(
  ['ahora', 'nuevo', 'nueva', 'partir', 'desde', 'cueste', 'cuesten'].map(wordKey),
);

export function extractPriceChange(f: Features): PriceChangeEntities {
  const c = f.counts;
  const changeVerb =
    c[Cue.Raise] + c[Cue.Lower] + c[Cue.Put] + c[Cue.Change] + c[Cue.SetStock] > 0 &&
    c[Cue.PriceAsk] + c[Cue.HowMuch] === 0;
  const product = extractProduct(f);
  const delta = priceDeltaCents(f);
  if (delta !== undefined && changeVerb) {
    return product === undefined
      ? { wantsPriceChange: true }
      : { priceDelta: { product, deltaCents: delta }, wantsPriceChange: true };
  }
  const priceCents = extractPriceCents(f, true);
  // A statement with a product and an amount sets the price ("la leche a 28 pesos"); the same
  // words as a question ask about it ("¿la coca a 20?", "¿cuánto cuesta la coca?").
  const statesNewPrice =
    priceCents !== undefined && (!f.question || hasNewPriceWord(f)) && c[Cue.PriceAsk] === 0;
  if (!changeVerb && !statesNewPrice) return {};
  if (product === undefined || priceCents === undefined) return { wantsPriceChange: true };
  return { priceChange: { product, priceCents }, wantsPriceChange: true };
}

/** "sube la coca 2 pesos" → +200, "bájale un peso al pan" → -100; undefined for "a 20". */
function priceDeltaCents(f: Features): number | undefined {
  const raise = f.counts[Cue.Raise] > 0;
  const lower = f.counts[Cue.Lower] > 0;
  if (raise === lower) return undefined;
  const { tokens, count } = f;
  for (let i = 0; i < count; i++) {
    if (!isBareAmount(tokens, i, count)) continue;
    const cents = priceCentsAt(tokens, i, count);
    if (cents !== undefined) return raise ? cents : -cents;
  }
  return undefined;
}

function hasNewPriceWord(f: Features): boolean {
  for (let i = 0; i < f.count; i++) if (NEW_PRICE_WORDS.has(f.tokens[i].key)) return true;
  return false;
}
