import type { DataSource } from 'typeorm';

export interface TestProduct {
  id: string;
  name: string;
  priceCents: number;
  costCents: number;
}

/** Inserts one product of a shop straight into the database. */
export async function addProduct(
  db: DataSource,
  tenantId: string,
  p: {
    name: string;
    priceCents: number;
    costCents?: number;
    stock?: number;
    minStock?: number;
    aliases?: string[];
  },
): Promise<TestProduct> {
  const [row] = (await db.query(
    `INSERT INTO products (tenant_id, name, aliases, price_cents, cost_cents, stock, min_stock)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      tenantId,
      p.name,
      p.aliases ?? [],
      p.priceCents,
      p.costCents ?? 0,
      p.stock ?? 10,
      p.minStock ?? 0,
    ],
  )) as { id: string }[];
  return { id: row.id, name: p.name, priceCents: p.priceCents, costCents: p.costCents ?? 0 };
}

/** Records a sale of `quantity` × product at `soldAt`; returns its total in cents. */
export async function addSale(
  db: DataSource,
  tenantId: string,
  product: TestProduct,
  quantity: number,
  soldAt: Date,
): Promise<number> {
  const { id: productId, priceCents, costCents } = product;
  await insertSale(db, tenantId, soldAt, [{ productId, quantity, priceCents, costCents }]);
  return priceCents * quantity;
}

export interface SaleLine {
  productId: string;
  quantity: number;
  priceCents: number;
  costCents: number;
}

/** One ticket at a given instant, with its lines, as the POS would write it. */
export async function insertSale(
  db: DataSource,
  tenantId: string,
  soldAt: Date,
  lines: SaleLine[],
): Promise<void> {
  const total = lines.reduce((a, l) => a + l.quantity * l.priceCents, 0);
  const cost = lines.reduce((a, l) => a + l.quantity * l.costCents, 0);
  const items = lines.reduce((a, l) => a + l.quantity, 0);
  const [sale]: { id: string }[] = await db.query(
    `INSERT INTO sales (tenant_id, sold_at, total_cents, cost_cents, item_count, source)
     VALUES ($1, $2, $3, $4, $5, 'pos') RETURNING id`,
    [tenantId, soldAt, total, cost, items],
  );
  for (const l of lines) {
    await db.query(
      `INSERT INTO sale_items (tenant_id, sale_id, product_id, quantity, unit_price_cents,
                               unit_cost_cents, subtotal_cents)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        tenantId,
        sale.id,
        l.productId,
        l.quantity,
        l.priceCents,
        l.costCents,
        l.quantity * l.priceCents,
      ],
    );
  }
}
