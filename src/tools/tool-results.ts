import { formatMoney } from '../common/money';
import type {
  ProductMatch,
  ProductResolution,
  ProductSales,
  ProductSalesReport,
  StockLevel,
} from '../store';
import type { ToolRange } from './tool-period';

/**
 * Shapes of what the model reads back. Every key costs prompt tokens on the next round, so
 * results are flat and short-keyed. A headline figure carries money twice: cents to compute
 * with, and the formatted string to quote without re-formatting mistakes; lists carry only
 * the formatted strings.
 */

export function money(prefix: string, cents: number): Record<string, number | string> {
  return { [`${prefix}_cents`]: cents, [prefix]: formatMoney(cents) };
}

export function rangeFields(range: ToolRange): Record<string, string> {
  return range.period ? { period: range.period, dates: range.dates } : { dates: range.dates };
}

/** Profit over revenue in percent, one decimal; null when nothing was sold. */
export function marginPct(profitCents: number, revenueCents: number): number | null {
  return revenueCents > 0 ? Math.round((1000 * profitCents) / revenueCents) / 10 : null;
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

/** What was read, and for which products: never a store total when a product was asked for. */
export function notFound(resolution: Extract<ProductResolution, { kind: 'none' }>) {
  return {
    found: false,
    ...(resolution.suggestions.length ? { suggestions: resolution.suggestions } : {}),
  };
}

/**
 * One product's fields, or each candidate's when the name matched several equally well
 * (flagged, so the model says which ones it is talking about).
 */
export function productResult(
  resolution: ProductResolution,
  pick: (p: ProductMatch) => Record<string, unknown>,
): Record<string, unknown> {
  switch (resolution.kind) {
    case 'none':
      return notFound(resolution);
    case 'several':
      return {
        ambiguous: true,
        candidates: resolution.products.slice(0, MAX_CANDIDATES).map(pick),
      };
    case 'one':
      return {
        product: pick(resolution.product),
        ...(resolution.others.length ? { others: resolution.others } : {}),
      };
  }
}

/** Sales of the product(s) a name resolved to; several: each and all together. */
export function productSalesResult(
  resolution: Exclude<ProductResolution, { kind: 'none' }>,
  report: ProductSalesReport,
  figures: (s: Omit<ProductSales, 'productId' | 'name'>) => Record<string, unknown>,
  each: (s: ProductSales) => Record<string, unknown>,
): Record<string, unknown> {
  if (resolution.kind === 'one') {
    return {
      product: resolution.product.name,
      ...figures(report.combined),
      ...(resolution.others.length ? { others: resolution.others } : {}),
    };
  }
  return {
    matched: report.products.map((p) => p.name),
    each: report.products.map(each),
    all: figures(report.combined),
  };
}
