import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { rankProducts, suggestProducts } from './product-matching';
import {
  type CatalogueProduct,
  type PriceInfo,
  type ProductInput,
  type ProductLookup,
  type ProductMatch,
  type ProfitSummary,
  type SalesSummary,
  type StockLevel,
  type TopProduct,
  type UpsertResult,
  UnknownTenantError,
} from './store.types';

/** Raw row of the catalogue columns every product read selects. */
interface ProductRow {
  id: string;
  name: string;
  aliases: string[];
  unit: string;
  price_cents: number;
  cost_cents: number;
  stock: number;
  min_stock: number;
}

const PRODUCT_COLUMNS = `id, name, aliases, unit, price_cents, cost_cents, stock, min_stock`;
/** A corner shop has hundreds of products; this only bounds a pathological catalogue. */
const CATALOGUE_SCAN_LIMIT = 5_000;
const SUGGESTIONS = 3;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The shop's data, always for one tenant: every method takes tenantId first and every query
 * filters by it. Aggregates are computed by PostgreSQL (SUM/COUNT over the indexed time range).
 * Time ranges are [from, to) UTC instants; callers turn "hoy" into them in the shop's zone.
 */
@Injectable()
export class StoreService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async salesSummary(tenantId: string, from: Date, to: Date): Promise<SalesSummary> {
    const [row] = await this.rows<Record<'total' | 'tickets' | 'items' | 'average', string>>(
      `SELECT COALESCE(SUM(total_cents), 0) AS total,
              COUNT(*) AS tickets,
              COALESCE(SUM(item_count), 0) AS items,
              COALESCE(ROUND(AVG(total_cents)), 0) AS average
         FROM sales
        WHERE tenant_id = $1 AND sold_at >= $2 AND sold_at < $3`,
      [tenantId, from, to],
    );
    return {
      totalCents: Number(row.total),
      tickets: Number(row.tickets),
      itemsSold: Number(row.items),
      averageTicketCents: Number(row.average),
    };
  }

  /** Best sellers by units sold (revenue breaks ties). */
  async topProducts(tenantId: string, from: Date, to: Date, limit: number): Promise<TopProduct[]> {
    const rows = await this.rows<{ id: string; name: string; quantity: string; revenue: string }>(
      `SELECT p.id, p.name, SUM(si.quantity) AS quantity, SUM(si.subtotal_cents) AS revenue
         FROM sales s
         JOIN sale_items si ON si.sale_id = s.id AND si.tenant_id = s.tenant_id
         JOIN products p ON p.id = si.product_id AND p.tenant_id = si.tenant_id
        WHERE s.tenant_id = $1 AND s.sold_at >= $2 AND s.sold_at < $3
        GROUP BY p.id, p.name
        ORDER BY SUM(si.quantity) DESC, SUM(si.subtotal_cents) DESC, p.name
        LIMIT $4`,
      [tenantId, from, to, clampLimit(limit, 50)],
    );
    return rows.map((r) => ({
      productId: r.id,
      name: r.name,
      quantity: Number(r.quantity),
      revenueCents: Number(r.revenue),
    }));
  }

  /** Revenue minus the cost frozen on each ticket when it was sold. */
  async profit(tenantId: string, from: Date, to: Date): Promise<ProfitSummary> {
    const [row] = await this.rows<{ revenue: string; cost: string; margin: string | null }>(
      `SELECT COALESCE(SUM(total_cents), 0) AS revenue,
              COALESCE(SUM(cost_cents), 0) AS cost,
              ROUND(100.0 * (SUM(total_cents) - SUM(cost_cents)) / NULLIF(SUM(total_cents), 0), 1)
                AS margin
         FROM sales
        WHERE tenant_id = $1 AND sold_at >= $2 AND sold_at < $3`,
      [tenantId, from, to],
    );
    const revenueCents = Number(row.revenue);
    const costCents = Number(row.cost);
    return {
      revenueCents,
      costCents,
      profitCents: revenueCents - costCents,
      marginPct: row.margin === null ? null : Number(row.margin),
    };
  }

  /** Active products matching a free-text query ("cocas", "leche lala"), best first. */
  async findProducts(tenantId: string, query: string, limit: number): Promise<ProductMatch[]> {
    const catalogue = await this.catalogue(tenantId);
    return rankProducts(query, catalogue, clampLimit(limit, 50)).map((r) => ({
      ...r.product,
      score: r.score,
    }));
  }

  async stock(
    tenantId: string,
    productQuery: string,
    limit = 5,
  ): Promise<ProductLookup<StockLevel>> {
    return this.lookup(tenantId, productQuery, limit, (p) => ({
      productId: p.id,
      name: p.name,
      unit: p.unit,
      stock: p.stock,
      minStock: p.minStock,
    }));
  }

  async price(
    tenantId: string,
    productQuery: string,
    limit = 5,
  ): Promise<ProductLookup<PriceInfo>> {
    return this.lookup(tenantId, productQuery, limit, (p) => ({
      productId: p.id,
      name: p.name,
      unit: p.unit,
      priceCents: p.priceCents,
      costCents: p.costCents,
    }));
  }

  /** What to restock: active products at or below their minimum, the emptiest first. */
  async lowStock(tenantId: string): Promise<StockLevel[]> {
    const rows = await this.rows<ProductRow>(
      `SELECT ${PRODUCT_COLUMNS} FROM products
        WHERE tenant_id = $1 AND is_active AND stock <= min_stock
        ORDER BY stock - min_stock, name
        LIMIT ${CATALOGUE_SCAN_LIMIT}`,
      [tenantId],
    );
    return rows.map((r) => ({
      productId: r.id,
      name: r.name,
      unit: r.unit,
      stock: r.stock,
      minStock: r.min_stock,
    }));
  }

  /**
   * Creates or updates catalogue rows by case-insensitive name (a repeated name in the input:
   * the last one wins). Fields left out keep their value on update. A stock change is written
   * to the ledger as a 'count' movement so stock always equals the sum of its movements.
   * Throws UnknownTenantError when the tenant does not exist.
   */
  async upsertProducts(tenantId: string, products: readonly ProductInput[]): Promise<UpsertResult> {
    if (!UUID.test(tenantId)) throw new UnknownTenantError(tenantId);
    const input = dedupeByName(products).map(toInputRow);
    return this.db.transaction(async (tx) => {
      const tenant: unknown[] = await tx.query(
        `SELECT 1 FROM tenants WHERE id = $1 FOR KEY SHARE`,
        [tenantId],
      );
      if (tenant.length === 0) throw new UnknownTenantError(tenantId);
      if (input.length === 0) return { created: 0, updated: 0, products: [] };
      // Two admins onboarding the same shop at once must not race between the update and the
      // insert half below; per-shop serialization is cheap at onboarding volumes.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('store.products:' || $1))`, [tenantId]);
      const rows = await upsertRows(tx, tenantId, input);
      await tx.query(
        `INSERT INTO inventory_movements (tenant_id, product_id, quantity_delta, reason, note)
         SELECT $1, id, delta, 'count', 'catalogue upsert'
           FROM jsonb_to_recordset($2::jsonb) AS m(id uuid, delta integer)`,
        [
          tenantId,
          JSON.stringify(
            rows
              .filter((r) => r.stock !== r.old_stock)
              .map((r) => ({ id: r.id, delta: r.stock - r.old_stock })),
          ),
        ],
      );
      const created = rows.filter((r) => r.created).length;
      return { created, updated: rows.length - created, products: rows.map(toCatalogueProduct) };
    });
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
    const catalogue = await this.catalogue(tenantId);
    const matches = rankProducts(query, catalogue, clampLimit(limit, 50));
    return {
      matches: matches.map((m) => ({ ...m.product, score: m.score })),
      suggestions:
        matches.length > 0 ? [] : suggestProducts(query, catalogue, SUGGESTIONS).map((p) => p.name),
    };
  }

  private async lookup<T>(
    tenantId: string,
    query: string,
    limit: number,
    pick: (p: CatalogueProduct) => T,
  ): Promise<ProductLookup<T>> {
    const found = await this.lookupProducts(tenantId, query, limit);
    return { matches: found.matches.map(pick), suggestions: found.suggestions };
  }

  private async catalogue(tenantId: string): Promise<CatalogueProduct[]> {
    const rows = await this.rows<ProductRow>(
      `SELECT ${PRODUCT_COLUMNS} FROM products
        WHERE tenant_id = $1 AND is_active
        ORDER BY name
        LIMIT ${CATALOGUE_SCAN_LIMIT}`,
      [tenantId],
    );
    return rows.map(toCatalogueProduct);
  }

  private async rows<T>(sql: string, params: unknown[]): Promise<T[]> {
    return (await this.db.query(sql, params)) as T[];
  }
}

interface InputRow {
  name: string;
  price_cents: number;
  cost_cents: number | null;
  stock: number | null;
  min_stock: number | null;
  unit: string | null;
  aliases: string[] | null;
}

interface UpsertedRow extends ProductRow {
  old_stock: number;
  created: boolean;
}

/**
 * One statement: update the rows whose name exists, insert the others. The input travels as
 * one jsonb parameter, so a catalogue of any size is a single round-trip.
 */
async function upsertRows(
  tx: EntityManager,
  tenantId: string,
  input: InputRow[],
): Promise<UpsertedRow[]> {
  return (await tx.query(
    `WITH input AS (
       SELECT v.name, v.price_cents, v.cost_cents, v.stock, v.min_stock, v.unit,
              CASE WHEN v.aliases IS NULL THEN NULL
                   ELSE ARRAY(SELECT jsonb_array_elements_text(v.aliases)) END AS aliases
         FROM jsonb_to_recordset($2::jsonb) AS v(name text, price_cents integer, cost_cents integer,
              stock integer, min_stock integer, unit text, aliases jsonb)
     ),
     existing AS (
       SELECT p.id, p.stock AS old_stock, i.*
         FROM products p JOIN input i ON lower(p.name) = lower(i.name)
        WHERE p.tenant_id = $1
     ),
     updated AS (
       UPDATE products p
          SET name = e.name,
              price_cents = e.price_cents,
              cost_cents = COALESCE(e.cost_cents, p.cost_cents),
              stock = COALESCE(e.stock, p.stock),
              min_stock = COALESCE(e.min_stock, p.min_stock),
              unit = COALESCE(e.unit, p.unit),
              aliases = COALESCE(e.aliases, p.aliases),
              is_active = true,
              updated_at = now()
         FROM existing e
        WHERE p.tenant_id = $1 AND p.id = e.id
       RETURNING p.id, p.name, p.aliases, p.unit, p.price_cents, p.cost_cents, p.stock, p.min_stock,
                 e.old_stock, false AS created
     ),
     inserted AS (
       INSERT INTO products (tenant_id, name, price_cents, cost_cents, stock, min_stock, unit, aliases)
       SELECT $1, i.name, i.price_cents, COALESCE(i.cost_cents, 0), COALESCE(i.stock, 0),
              COALESCE(i.min_stock, 0), COALESCE(i.unit, 'pza'), COALESCE(i.aliases, '{}')
         FROM input i
        WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE lower(e.name) = lower(i.name))
       RETURNING ${PRODUCT_COLUMNS}, 0 AS old_stock, true AS created
     )
     SELECT * FROM updated UNION ALL SELECT * FROM inserted ORDER BY name`,
    [tenantId, JSON.stringify(input)],
  )) as UpsertedRow[];
}

function dedupeByName(products: readonly ProductInput[]): ProductInput[] {
  const byName = new Map<string, ProductInput>();
  for (const p of products) byName.set(p.name.trim().toLowerCase(), p);
  return [...byName.values()];
}

function toInputRow(p: ProductInput): InputRow {
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

function toCatalogueProduct(r: ProductRow): CatalogueProduct {
  return {
    id: r.id,
    name: r.name,
    aliases: r.aliases,
    unit: r.unit,
    priceCents: r.price_cents,
    costCents: r.cost_cents,
    stock: r.stock,
    minStock: r.min_stock,
  };
}

function clampLimit(limit: number, max: number): number {
  return Number.isInteger(limit) ? Math.min(Math.max(limit, 1), max) : max;
}
