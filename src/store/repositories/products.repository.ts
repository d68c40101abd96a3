import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { CatalogueProduct, StockLevel } from '../store.types';

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

/** One catalogue row to write, as the upsert statement takes it (null = keep / default). */
export interface ProductWriteRow {
  name: string;
  price_cents: number;
  cost_cents: number | null;
  stock: number | null;
  min_stock: number | null;
  unit: string | null;
  aliases: string[] | null;
}

export interface UpsertedProduct extends CatalogueProduct {
  oldStock: number;
  created: boolean;
}

const PRODUCT_COLUMNS = `id, name, aliases, unit, price_cents, cost_cents, stock, min_stock`;
/** A corner shop has hundreds of products; this only bounds a pathological catalogue. */
const CATALOGUE_SCAN_LIMIT = 5_000;

/** The only code that names products and inventory_movements in SQL. */
@Injectable()
export class ProductsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The shop's active products, by name. */
  async activeCatalogue(tenantId: string): Promise<CatalogueProduct[]> {
    const rows = (await this.db.query(
      `SELECT ${PRODUCT_COLUMNS} FROM products
        WHERE tenant_id = $1 AND is_active
        ORDER BY name
        LIMIT ${CATALOGUE_SCAN_LIMIT}`,
      [tenantId],
    )) as ProductRow[];
    return rows.map(toCatalogueProduct);
  }

  /** Active products at or below their minimum, the emptiest first. */
  async lowStock(tenantId: string): Promise<StockLevel[]> {
    const rows = (await this.db.query(
      `SELECT ${PRODUCT_COLUMNS} FROM products
        WHERE tenant_id = $1 AND is_active AND stock <= min_stock
        ORDER BY stock - min_stock, name
        LIMIT ${CATALOGUE_SCAN_LIMIT}`,
      [tenantId],
    )) as ProductRow[];
    return rows.map((r) => ({
      productId: r.id,
      name: r.name,
      unit: r.unit,
      stock: r.stock,
      minStock: r.min_stock,
    }));
  }

  /**
   * One statement: update the rows whose name exists, insert the others, then record every
   * stock change as a 'count' movement so stock always equals the sum of its movements. The
   * input travels as one jsonb parameter, so a catalogue of any size is a single round-trip.
   * Two admins onboarding the same shop at once are serialized per shop (cheap at that volume).
   */
  async upsert(
    tx: EntityManager,
    tenantId: string,
    input: ProductWriteRow[],
  ): Promise<UpsertedProduct[]> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('store.products:' || $1))`, [tenantId]);
    const rows = (await tx.query(
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
    )) as (ProductRow & { old_stock: number; created: boolean })[];
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
    return rows.map((r) => ({
      ...toCatalogueProduct(r),
      oldStock: r.old_stock,
      created: r.created,
    }));
  }
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
