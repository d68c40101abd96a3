/** What the store module answers. Money is integer cents (MXN); quantities are whole units. */

export interface SalesSummary {
  totalCents: number;
  tickets: number;
  /** Units sold (sum of ticket line quantities). */
  itemsSold: number;
  /** Rounded to the cent; 0 when there were no tickets. */
  averageTicketCents: number;
  /** What the goods sold cost, at the cost frozen on each ticket. */
  costCents: number;
}

export interface TopProduct {
  productId: string;
  name: string;
  quantity: number;
  revenueCents: number;
  /** What those units cost, at the cost frozen on each ticket line. */
  costCents: number;
  profitCents: number;
}

/** How a ranking of products is ordered: units sold, money taken, or money left. */
export type TopProductsBy = 'units' | 'amount' | 'profit';

/** One product's sales over a range. */
export interface ProductSales {
  productId: string;
  name: string;
  units: number;
  revenueCents: number;
  costCents: number;
  profitCents: number;
  /** Tickets that carried it. */
  tickets: number;
}

/** Sales of one or several products, each and together (a ticket with two counts once). */
export interface ProductSalesReport {
  products: ProductSales[];
  combined: Omit<ProductSales, 'productId' | 'name'>;
}

/**
 * Which product(s) a name means in a shop's catalogue: one clear winner (with the names of
 * weaker matches, so an answer can mention them), several equally good ones (an answer
 * must say which it used), or none (an answer must say so, never answer for the shop).
 */
export type ProductResolution =
  | { kind: 'one'; product: ProductMatch; others: string[] }
  | { kind: 'several'; products: ProductMatch[] }
  | { kind: 'none'; suggestions: string[] };

export interface ProfitSummary {
  revenueCents: number;
  costCents: number;
  profitCents: number;
  /** Profit over revenue, in percent with one decimal; null when nothing was sold. */
  marginPct: number | null;
}

export interface CatalogueProduct {
  id: string;
  name: string;
  aliases: string[];
  unit: string;
  priceCents: number;
  costCents: number;
  stock: number;
  minStock: number;
}

export interface ProductMatch extends CatalogueProduct {
  /** How well it matched the query (100 = exact alias); see product-matching.ts. */
  score: number;
}

export interface StockLevel {
  productId: string;
  name: string;
  unit: string;
  stock: number;
  minStock: number;
}

export interface PriceInfo {
  productId: string;
  name: string;
  unit: string;
  priceCents: number;
  costCents: number;
}

/** Ranked matches for a product query; when there are none, the closest names to offer. */
export interface ProductLookup<T> {
  matches: T[];
  suggestions: string[];
}

/** One catalogue row to create or update, matched by case-insensitive name. */
export interface ProductInput {
  name: string;
  priceCents: number;
  /** Omitted fields keep their current value on update (defaults on create). */
  costCents?: number;
  stock?: number;
  minStock?: number;
  unit?: string;
  /** Replaces the current aliases when given. */
  aliases?: string[];
}

export interface UpsertResult {
  created: number;
  updated: number;
  products: CatalogueProduct[];
}

/** Where a ticket was recorded. */
export type SaleSource = 'whatsapp' | 'pos' | 'seed';

/** Why a product's stock changed (inventory_movements is its append-only ledger). */
export type MovementReason =
  'purchase' | 'sale' | 'loss' | 'adjustment' | 'count' | 'return' | 'reversal';

/** One line of a sale recorded from WhatsApp, at the price the owner confirmed. */
export interface SaleLineInput {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

/** A product's stock after a write, for the answer ("te quedan 8"). */
export interface StockAfter {
  productId: string;
  name: string;
  unit: string;
  stock: number;
}

/** A product that would go below zero in a shop that does not allow it. */
export interface StockShortage {
  productId: string;
  name: string;
  stock: number;
  requested: number;
}

/**
 * What a write did, or why it wrote nothing: the shop refuses negative stock, or a product
 * was removed from the catalogue since the owner was asked.
 */
export type WriteOutcome<T> =
  | ({ ok: true } & T)
  | { ok: false; reason: 'insufficient_stock'; shortages: StockShortage[] }
  | { ok: false; reason: 'product_missing'; productIds: string[] };

export interface RecordedSale {
  saleId: string;
  totalCents: number;
  stocks: StockAfter[];
}

export interface StockMoveInput {
  productId: string;
  /** add/remove: units moved (> 0); set: the counted stock (≥ 0). */
  quantity: number;
}

export type StockMoveKind = 'add' | 'remove' | 'set';

export interface RecordedStockMove {
  /** Per product: how much stock changed (signed) and where it ended. */
  moves: (StockAfter & { delta: number })[];
}

export interface RecordedPriceChange {
  productId: string;
  name: string;
  oldPriceCents: number;
  newPriceCents: number;
}

/** What taking back a write did: the sale voided, the stock and prices put back. */
export interface ReversedWrite {
  voidedSales: number;
  stocks: StockAfter[];
  prices: RecordedPriceChange[];
}
