/** What the store module answers. Money is integer cents (MXN); quantities are whole units. */

export interface SalesSummary {
  totalCents: number;
  tickets: number;
  /** Units sold (sum of ticket line quantities). */
  itemsSold: number;
  /** Rounded to the cent; 0 when there were no tickets. */
  averageTicketCents: number;
}

export interface TopProduct {
  productId: string;
  name: string;
  quantity: number;
  revenueCents: number;
}

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
export type MovementReason = 'purchase' | 'sale' | 'loss' | 'adjustment' | 'count';
