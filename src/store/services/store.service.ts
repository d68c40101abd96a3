import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isForeignKeyViolation } from '../../database/pg-errors';
import { rankProducts, suggestProducts } from '../product-matching';
import { ProductsRepository, type ProductWriteRow } from '../repositories/products.repository';
import { SalesRepository } from '../repositories/sales.repository';
import { UnknownShopError } from '../store.errors';
import type {
  ProductInput,
  ProductLookup,
  ProductMatch,
  ProductResolution,
  ProductSalesReport,
  ProfitSummary,
  SalesSummary,
  StockLevel,
  TopProduct,
  TopProductsBy,
  UpsertResult,
} from '../store.types';

const SUGGESTIONS = 3;
/** Weaker matches named beside a clear winner ("coca" → also "Coca-Cola 2 L"). */
const MAX_OTHERS = 3;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The shop's data, always for one tenant: every method takes tenantId first and every query
 * filters by it. Time ranges are [from, to) UTC instants; callers turn "hoy" into them in the
 * shop's zone.
 */
@Injectable()
export class StoreService {
  constructor(
    private readonly sales: SalesRepository,
    private readonly products: ProductsRepository,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  salesSummary(tenantId: string, from: Date, to: Date): Promise<SalesSummary> {
    return this.sales.summary(tenantId, from, to);
  }

  /** Best sellers by units sold (default), by money taken or by what they left. */
  topProducts(
    tenantId: string,
    from: Date,
    to: Date,
    limit: number,
    by: TopProductsBy = 'units',
  ): Promise<TopProduct[]> {
    return this.sales.topProducts(tenantId, from, to, clampLimit(limit, 50), by);
  }

  /** Sales, cost and profit of these products, each and together. */
  productSales(
    tenantId: string,
    productIds: string[],
    from: Date,
    to: Date,
  ): Promise<ProductSalesReport> {
    return this.sales.productSales(tenantId, productIds, from, to);
  }

  /**
   * Which product(s) of the shop a name means: one clear winner, several equally good
   * candidates (at most `limit`), or none with the closest names to offer.
   */
  async resolveProducts(tenantId: string, query: string, limit = 5): Promise<ProductResolution> {
    const lookup = await this.lookupProducts(tenantId, query, limit + MAX_OTHERS);
    const [best] = lookup.matches;
    if (!best) return { kind: 'none', suggestions: lookup.suggestions };
    const tied = lookup.matches.filter((m) => m.score === best.score);
    if (tied.length > 1) return { kind: 'several', products: tied.slice(0, limit) };
    return {
      kind: 'one',
      product: best,
      others: lookup.matches.slice(1, 1 + MAX_OTHERS).map((m) => m.name),
    };
  }

  profit(tenantId: string, from: Date, to: Date): Promise<ProfitSummary> {
    return this.sales.profit(tenantId, from, to);
  }

  /** What to restock: active products at or below their minimum, the emptiest first. */
  lowStock(tenantId: string): Promise<StockLevel[]> {
    return this.products.lowStock(tenantId);
  }

  /**
   * Ranked matches with their scores (so a caller can tell a clear winner from a tie), or,
   * when nothing matches, the closest names to offer — one catalogue read either way.
   */
  async lookupProducts(
    tenantId: string,
    query: string,
    limit = 5,
  ): Promise<ProductLookup<ProductMatch>> {
    const catalogue = await this.products.activeCatalogue(tenantId);
    const matches = rankProducts(query, catalogue, clampLimit(limit, 50));
    return {
      matches: matches.map((m) => ({ ...m.product, score: m.score })),
      suggestions:
        matches.length > 0 ? [] : suggestProducts(query, catalogue, SUGGESTIONS).map((p) => p.name),
    };
  }

  /**
   * Creates or updates catalogue rows by case-insensitive name (a repeated name in the input:
   * the last one wins). Fields left out keep their value on update. A stock change is written
   * to the ledger as a 'count' movement so stock always equals the sum of its movements.
   * Throws UnknownShopError when the tenant does not exist.
   */
  async upsertProducts(tenantId: string, products: readonly ProductInput[]): Promise<UpsertResult> {
    if (!UUID.test(tenantId)) throw new UnknownShopError(tenantId);
    const input = dedupeByName(products).map(toWriteRow);
    try {
      const rows = await this.db.transaction((tx) => this.products.upsert(tx, tenantId, input));
      const created = rows.filter((r) => r.created).length;
      return {
        created,
        updated: rows.length - created,
        products: rows.map(({ oldStock: _old, created: _created, ...p }) => p),
      };
    } catch (err) {
      // products.tenant_id references tenants: a missing shop is the constraint's verdict.
      if (isForeignKeyViolation(err)) throw new UnknownShopError(tenantId);
      throw err;
    }
  }
}

function dedupeByName(products: readonly ProductInput[]): ProductInput[] {
  const byName = new Map<string, ProductInput>();
  for (const p of products) byName.set(p.name.trim().toLowerCase(), p);
  return [...byName.values()];
}

function toWriteRow(p: ProductInput): ProductWriteRow {
  return {
    name: p.name.trim(),
    price_cents: p.priceCents,
    cost_cents: p.costCents ?? null,
    stock: p.stock ?? null,
    min_stock: p.minStock ?? null,
    unit: p.unit?.trim() || null,
    aliases: p.aliases ? cleanAliases(p.aliases) : null,
  };
}

/** Trimmed, non-empty, each nickname once (case-insensitive). */
function cleanAliases(aliases: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const a of aliases) {
    const alias = a.trim();
    if (alias && !seen.has(alias.toLowerCase())) seen.set(alias.toLowerCase(), alias);
  }
  return [...seen.values()];
}

function clampLimit(limit: number, max: number): number {
  return Number.isInteger(limit) ? Math.min(Math.max(limit, 1), max) : max;
}
