import { DataSource } from 'typeorm';
import { seedDemo } from '../../database/seeds/demo';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { PHONE_NUMBER_ID } from '../../dev/support/webhook';

export interface BenchShop {
  tenantId: string;
  name: string;
  /** As Meta sends it in `from` (521…); the shop stores the E.164 form. */
  ownerWaId: string;
  /** The shop's business number: its messages must arrive there. */
  phoneNumberId: string;
}

/** Days of the demo's sales history kept per shop: enough for "hoy", "ayer", "esta semana". */
const SALES_DAYS = 8;

/**
 * `count` shops for bench:pipeline, each with its own owner (one chat per shop) and a copy
 * of the demo catalogue and its last days of sales, so the tools answer from real-looking
 * data. The demo is seeded once and copied in set-based SQL (seeding it 200 times would take
 * minutes). Shop names are unique: the system prompt names the shop, which is how the bench
 * tells which message an LLM call belongs to.
 */
export async function seedBenchShops(databaseUrl: string, count: number): Promise<BenchShop[]> {
  const db = new DataSource(dataSourceOptions(databaseUrl, 2));
  await db.initialize();
  try {
    // Mexican mobiles as Meta sends them: 521 + 10 digits; stored as +52 + the 10 digits.
    const area = `55${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')}`;
    const waPrefix = `521${area}`;
    const ownerOf = (n: number) => `${waPrefix}${String(n).padStart(4, '0')}`;
    const nameOf = (n: number) => `Abarrotes Bench ${String(n).padStart(3, '0')}`;
    const template = await seedDemo(db, { ownerWaId: ownerOf(1), phoneNumberId: PHONE_NUMBER_ID });
    await db.transaction(async (tx) => {
      await tx.query(`UPDATE tenants SET name = $2 WHERE id = $1`, [template.tenantId, nameOf(1)]);
      await tx.query(
        `DELETE FROM sales WHERE tenant_id = $1 AND sold_at < now() - make_interval(days => $2)`,
        [template.tenantId, SALES_DAYS],
      );
      await tx.query(
        `CREATE TEMP TABLE bench_shops ON COMMIT DROP AS
           SELECT gen_random_uuid() AS id, n FROM generate_series(2, $1::int) AS n`,
        [count],
      );
      await tx.query(
        `INSERT INTO tenants (id, name, timezone)
           SELECT id, 'Abarrotes Bench ' || lpad(n::text, 3, '0'), 'America/Mexico_City' FROM bench_shops`,
      );
      await tx.query(
        `INSERT INTO tenant_users (tenant_id, wa_id, role, name)
           SELECT id, '+52' || $1 || lpad(n::text, 4, '0'), 'owner', 'Dueño ' || n FROM bench_shops`,
        [area],
      );
      await tx.query(
        `INSERT INTO whatsapp_channels (tenant_id, phone_number_id)
           SELECT id, '10' || lpad(n::text, 13, '0') FROM bench_shops`,
      );
      await tx.query(
        `CREATE TEMP TABLE bench_products ON COMMIT DROP AS
           SELECT s.id AS tenant_id, p.id AS old_id, gen_random_uuid() AS new_id
             FROM bench_shops s CROSS JOIN products p WHERE p.tenant_id = $1`,
        [template.tenantId],
      );
      await tx.query(
        `INSERT INTO products (id, tenant_id, name, aliases, sku, unit, price_cents, cost_cents, stock,
                               min_stock, is_active)
           SELECT m.new_id, m.tenant_id, p.name, p.aliases, p.sku, p.unit, p.price_cents, p.cost_cents,
                  p.stock, p.min_stock, p.is_active
             FROM bench_products m JOIN products p ON p.id = m.old_id`,
      );
      await tx.query(
        `CREATE TEMP TABLE bench_sales ON COMMIT DROP AS
           SELECT s.id AS tenant_id, x.id AS old_id, gen_random_uuid() AS new_id
             FROM bench_shops s CROSS JOIN sales x WHERE x.tenant_id = $1`,
        [template.tenantId],
      );
      await tx.query(
        `INSERT INTO sales (id, tenant_id, sold_at, total_cents, cost_cents, item_count, source)
           SELECT m.new_id, m.tenant_id, x.sold_at, x.total_cents, x.cost_cents, x.item_count, x.source
             FROM bench_sales m JOIN sales x ON x.id = m.old_id`,
      );
      await tx.query(
        `INSERT INTO sale_items (tenant_id, sale_id, product_id, quantity, unit_price_cents,
                                 unit_cost_cents, subtotal_cents)
           SELECT sm.tenant_id, sm.new_id, pm.new_id, i.quantity, i.unit_price_cents,
                  i.unit_cost_cents, i.subtotal_cents
             FROM sale_items i
             JOIN bench_sales sm ON sm.old_id = i.sale_id
             JOIN bench_products pm ON pm.old_id = i.product_id AND pm.tenant_id = sm.tenant_id`,
      );
    });
    await db.query(`ANALYZE tenants, tenant_users, products, sales, sale_items`);
    const rows = (await db.query(
      `SELECT t.id, t.name, u.wa_id, c.phone_number_id
         FROM tenants t JOIN tenant_users u ON u.tenant_id = t.id
         JOIN whatsapp_channels c ON c.tenant_id = t.id
        WHERE t.name LIKE 'Abarrotes Bench %' ORDER BY t.name`,
    )) as { id: string; name: string; wa_id: string; phone_number_id: string }[];
    if (rows.length !== count) throw new Error(`seeded ${rows.length} shops, wanted ${count}`);
    return rows.map((r) => ({
      tenantId: r.id,
      name: r.name,
      ownerWaId: `521${r.wa_id.slice(3)}`,
      phoneNumberId: r.phone_number_id,
    }));
  } finally {
    await db.destroy();
  }
}
