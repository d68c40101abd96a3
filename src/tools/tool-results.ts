import { formatMoney } from '../common/money';
import type { ProductLookup, ProductMatch, StockLevel } from '../store';
import type { ToolRange } from './tool-period';

/**
 * Shapes of what the model reads back. Every key costs prompt tokens on the next round, so
 * results are flat, short-keyed, and carry money twice: cents to compute with, the formatted
 * string to quote without re-formatting mistakes.
 */

export function money(prefix: string, cents: number): Record<string, number | string> {
  return { [`${prefix}_cents`]: cents, [prefix]: formatMoney(cents) };
}

export function rangeFields(range: ToolRange): Record<string, string> {
  return range.period ? { period: range.period, dates: range.dates } : { dates: range.dates };
}

/** `flagLow` is off in the low-stock list, where every row is low by definition. */
export function stockFields(p: StockLevel | ProductMatch, flagLow = true): Record<string, unknown> {
  return {
    name: p.name,
    stock: p.stock,
    min: p.minStock,
    unit: p.unit,
    ...(flagLow && p.stock <= p.minStock ? { low: true } : {}),
  };
}

export function priceFields(p: ProductMatch): Record<string, unknown> {
  return {
    name: p.name,
    unit: p.unit,
    ...money('price', p.priceCents),
    ...money('cost', p.costCents),
  };
}

const MAX_CANDIDATES = 5;
const MAX_OTHERS = 3;

/**
 * One clear winner → that product (plus the names of weaker matches, so "coca" can mention the
 * 2 L too); a tie at the top → the tied candidates, flagged so the model asks or lists them;
 * nothing → the closest names, if any. The query is not echoed: the model has its own call.
 */
export function productResult(
  lookup: ProductLookup<ProductMatch>,
  pick: (p: ProductMatch) => Record<string, unknown>,
): Record<string, unknown> {
  const [best] = lookup.matches;
  if (!best) {
    return {
      found: false,
      ...(lookup.suggestions.length ? { suggestions: lookup.suggestions } : {}),
    };
  }
  const tied = lookup.matches.filter((m) => m.score === best.score);
  if (tied.length > 1) {
    return { ambiguous: true, candidates: tied.slice(0, MAX_CANDIDATES).map(pick) };
  }
  const others = lookup.matches.slice(1, 1 + MAX_OTHERS).map((m) => m.name);
  return { product: pick(best), ...(others.length ? { others } : {}) };
}
