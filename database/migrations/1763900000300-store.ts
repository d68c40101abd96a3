import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The shop's own data: catalogue, sales, and the stock ledger. Money is integer cents (MXN),
 * quantities are whole units, times are UTC.
 *
 * Every table carries tenant_id, and child rows point at their parent through
 * (tenant_id, id) composite keys, so the database itself refuses a sale line or a stock
 * movement that mixes two shops — a second wall behind the tenant-scoped queries.
 */
export class Store1763900000300 implements MigrationInterface {
  name = 'Store1763900000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE products (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        aliases text[] NOT NULL DEFAULT '{}',
        sku text,
        unit text NOT NULL DEFAULT 'pza',
        price_cents integer NOT NULL CHECK (price_cents >= 0),
        cost_cents integer NOT NULL DEFAULT 0 CHECK (cost_cents >= 0),
        -- May go below zero: owners sell what arrived before anyone counted it.
        stock integer NOT NULL DEFAULT 0,
        min_stock integer NOT NULL DEFAULT 0 CHECK (min_stock >= 0),
        is_active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, id)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX products_tenant_name_key ON products (tenant_id, lower(name))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX products_tenant_sku_key ON products (tenant_id, sku) WHERE sku IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE sales (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        sold_at timestamptz NOT NULL DEFAULT now(),
        total_cents integer NOT NULL CHECK (total_cents >= 0),
        cost_cents integer NOT NULL DEFAULT 0 CHECK (cost_cents >= 0),
        item_count integer NOT NULL CHECK (item_count >= 0),
        source text NOT NULL CHECK (source IN ('whatsapp', 'pos', 'seed')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, id)
      )`);
    // Every sales question is "this shop, this time range".
    await q.query(`CREATE INDEX sales_tenant_sold_at_idx ON sales (tenant_id, sold_at)`);

    await q.query(`
      CREATE TABLE sale_items (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        sale_id uuid NOT NULL,
        product_id uuid NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
        unit_cost_cents integer NOT NULL DEFAULT 0 CHECK (unit_cost_cents >= 0),
        subtotal_cents integer NOT NULL CHECK (subtotal_cents >= 0),
        FOREIGN KEY (tenant_id, sale_id) REFERENCES sales (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE RESTRICT
      )`);
    await q.query(`CREATE INDEX sale_items_sale_idx ON sale_items (sale_id)`);
    await q.query(
      `CREATE INDEX sale_items_tenant_product_idx ON sale_items (tenant_id, product_id)`,
    );

    await q.query(`
      CREATE TABLE inventory_movements (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        product_id uuid NOT NULL,
        quantity_delta integer NOT NULL,
        reason text NOT NULL CHECK (reason IN ('purchase', 'sale', 'loss', 'adjustment', 'count')),
        note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE INDEX inventory_movements_tenant_product_idx ON inventory_movements (tenant_id, product_id, created_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inventory_movements`);
    await q.query(`DROP TABLE sale_items`);
    await q.query(`DROP TABLE sales`);
    await q.query(`DROP TABLE products`);
  }
}
