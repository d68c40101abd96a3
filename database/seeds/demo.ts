/**
 * Demo shop for local runs and demos: `npm run seed:demo`.
 * Creates (or refreshes) "Abarrotes Doña Lupita" with its owner's WhatsApp number, its
 * business number, ~60 products and 90 days of sales. Running it again replaces the shop's
 * catalogue and sales (same tenant id, so token purchases and balances survive).
 */
import 'reflect-metadata';
import { DataSource, type EntityManager } from 'typeorm';
import { formatMoney } from '../../src/common/money';
import { loadEnvFile } from '../../src/config/load-env-file';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { localDateOf, startOfLocalDay } from '../../src/intents/time-zone';
import { normalizeWaId } from '../../src/tenants/phone-number';
import { DEMO_PRODUCTS } from './demo-catalogue';
import { generateSalesHistory, type SalesHistory, type SeedProduct } from './demo-sales';

export const DEMO_SHOP_NAME = 'Abarrotes Doña Lupita';
export const DEMO_TIME_ZONE = 'America/Mexico_City';
export const DEMO_OWNER_WA_ID = '5215512345678';
export const DEMO_PHONE_NUMBER_ID = '1234567890';
/** The shop's employee in the demo (the simulator can write as them). */
export const DEMO_EMPLOYEE_WA_ID = '5215587654321';
export const DEMO_DAYS = 90;

export interface SeedDemoOptions {
  now?: Date;
  ownerWaId?: string;
  phoneNumberId?: string;
  /** Also registers this number as the shop's employee (kept if it already belongs to a shop). */
  employeeWaId?: string;
}

export interface SeedDemoResult {
  tenantId: string;
  /** False when the shop already existed and its data was replaced. */
  created: boolean;
  products: number;
  sales: number;
  saleItems: number;
  movements: number;
  days: number;
  today: { totalCents: number; tickets: number; profitCents: number };
}

export async function seedDemo(
  dataSource: DataSource,
  options: SeedDemoOptions = {},
): Promise<SeedDemoResult> {
  const now = options.now ?? new Date();
  // Stored E.164 (+525512345678), like the admin API stores it; Meta sends 521… or 52….
  const ownerWaId = normalizeWaId(options.ownerWaId ?? DEMO_OWNER_WA_ID);
  if (!ownerWaId) throw new Error(`not a phone number: ${options.ownerWaId}`);
  const phoneNumberId = options.phoneNumberId ?? DEMO_PHONE_NUMBER_ID;
  return dataSource.transaction(async (tx) => {
    // Two seeds at once would both see "no tenant" and create two shops.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('seed:demo:' || $1))`, [ownerWaId]);
    const { tenantId, created } = await upsertTenant(tx, ownerWaId, phoneNumberId);
    if (options.employeeWaId) await upsertEmployee(tx, tenantId, options.employeeWaId);
    await clearStore(tx, tenantId);
    const products = await insertProducts(tx, tenantId);
    const history = generateSalesHistory(products, now, DEMO_TIME_ZONE, DEMO_DAYS);
    await insertHistory(tx, tenantId, history);
    // Thousands of rows just arrived: fresh statistics so the first queries get good plans.
    await tx.query(`ANALYZE products, sales, sale_items, inventory_movements`);
    return {
      tenantId,
      created,
      products: products.length,
      sales: history.sales.length,
      saleItems: history.items.length,
      movements: history.movements.length,
      days: DEMO_DAYS,
      today: todayTotals(history, now),
    };
  });
}

async function upsertTenant(
  tx: EntityManager,
  ownerWaId: string,
  phoneNumberId: string,
): Promise<{ tenantId: string; created: boolean }> {
  const existing: { tenant_id: string }[] = await tx.query(
    `SELECT tenant_id FROM tenant_users WHERE wa_id = $1`,
    [ownerWaId],
  );
  let tenantId = existing[0]?.tenant_id;
  const created = tenantId === undefined;
  if (tenantId === undefined) {
    const [row]: { id: string }[] = await tx.query(
      `INSERT INTO tenants (name, timezone, status) VALUES ($1, $2, 'active') RETURNING id`,
      [DEMO_SHOP_NAME, DEMO_TIME_ZONE],
    );
    tenantId = row.id;
    await tx.query(
      `INSERT INTO tenant_users (tenant_id, wa_id, role, name) VALUES ($1, $2, 'owner', 'Lupita')`,
      [tenantId, ownerWaId],
    );
  } else {
    await tx.query(
      `UPDATE tenants SET name = $2, timezone = $3, status = 'active', updated_at = now() WHERE id = $1`,
      [tenantId, DEMO_SHOP_NAME, DEMO_TIME_ZONE],
    );
  }
  await tx.query(
    `INSERT INTO whatsapp_channels (tenant_id, phone_number_id, display_phone_number)
     VALUES ($1, $2, '+52 55 1234 5678') ON CONFLICT (phone_number_id) DO NOTHING`,
    [tenantId, phoneNumberId],
  );
  const [channel]: { tenant_id: string }[] = await tx.query(
    `SELECT tenant_id FROM whatsapp_channels WHERE phone_number_id = $1`,
    [phoneNumberId],
  );
  // Never move a business number away from a real shop just to make a demo work.
  if (channel.tenant_id !== tenantId) {
    throw new Error(
      `phone_number_id ${phoneNumberId} already belongs to tenant ${channel.tenant_id}`,
    );
  }
  return { tenantId, created };
}

async function upsertEmployee(tx: EntityManager, tenantId: string, waId: string): Promise<void> {
  const e164 = normalizeWaId(waId);
  if (!e164) throw new Error(`not a phone number: ${waId}`);
  await tx.query(
    `INSERT INTO tenant_users (tenant_id, wa_id, role, name) VALUES ($1, $2, 'employee', 'Beto')
     ON CONFLICT (wa_id) DO NOTHING`,
    [tenantId, e164],
  );
}

/** Sales first: their lines hold products with ON DELETE RESTRICT. */
async function clearStore(tx: EntityManager, tenantId: string): Promise<void> {
  await tx.query(`DELETE FROM sales WHERE tenant_id = $1`, [tenantId]);
  await tx.query(`DELETE FROM inventory_movements WHERE tenant_id = $1`, [tenantId]);
  await tx.query(`DELETE FROM products WHERE tenant_id = $1`, [tenantId]);
}

async function insertProducts(tx: EntityManager, tenantId: string): Promise<SeedProduct[]> {
  const rows: { id: string; name: string }[] = await tx.query(
    `INSERT INTO products (tenant_id, name, aliases, unit, price_cents, cost_cents, stock, min_stock)
     SELECT $1, p.name, ARRAY(SELECT jsonb_array_elements_text(p.aliases)), p.unit,
            p.price_cents, p.cost_cents, p.stock, p.min_stock
       FROM jsonb_to_recordset($2::jsonb) AS p(name text, aliases jsonb, unit text,
            price_cents integer, cost_cents integer, stock integer, min_stock integer)
     RETURNING id, name`,
    [
      tenantId,
      JSON.stringify(
        DEMO_PRODUCTS.map((p) => ({
          name: p.name,
          aliases: p.aliases,
          unit: p.unit,
          price_cents: p.priceCents,
          cost_cents: p.costCents,
          stock: p.stock,
          min_stock: p.minStock,
        })),
      ),
    ],
  );
  const idByName = new Map(rows.map((r) => [r.name, r.id]));
  // Catalogue order, not RETURNING order, so the generator's random picks are reproducible.
  return DEMO_PRODUCTS.map((p) => ({ ...p, id: idByName.get(p.name)! }));
}

/** One statement per table: arrays through unnest, so 10k rows cost three round-trips. */
async function insertHistory(tx: EntityManager, tenantId: string, h: SalesHistory): Promise<void> {
  await tx.query(
    `INSERT INTO sales (id, tenant_id, sold_at, total_cents, cost_cents, item_count, source, created_at)
     SELECT id, $1, sold_at, total, cost, items, 'seed', sold_at
       FROM unnest($2::uuid[], $3::timestamptz[], $4::int[], $5::int[], $6::int[])
            AS s(id, sold_at, total, cost, items)`,
    [
      tenantId,
      h.sales.map((s) => s.id),
      h.sales.map((s) => s.soldAt.toISOString()),
      h.sales.map((s) => s.totalCents),
      h.sales.map((s) => s.costCents),
      h.sales.map((s) => s.itemCount),
    ],
  );
  await tx.query(
    `INSERT INTO sale_items (tenant_id, sale_id, product_id, quantity, unit_price_cents,
                             unit_cost_cents, subtotal_cents)
     SELECT $1, sale_id, product_id, quantity, price, cost, subtotal
       FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::int[], $6::int[], $7::int[])
            AS i(sale_id, product_id, quantity, price, cost, subtotal)`,
    [
      tenantId,
      h.items.map((i) => i.saleId),
      h.items.map((i) => i.productId),
      h.items.map((i) => i.quantity),
      h.items.map((i) => i.unitPriceCents),
      h.items.map((i) => i.unitCostCents),
      h.items.map((i) => i.subtotalCents),
    ],
  );
  await tx.query(
    `INSERT INTO inventory_movements (tenant_id, product_id, quantity_delta, reason, note, created_at)
     SELECT $1, product_id, delta, reason, note, at
       FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::timestamptz[])
            AS m(product_id, delta, reason, note, at)`,
    [
      tenantId,
      h.movements.map((m) => m.productId),
      h.movements.map((m) => m.delta),
      h.movements.map((m) => m.reason),
      h.movements.map((m) => m.note),
      h.movements.map((m) => m.at.toISOString()),
    ],
  );
}

function todayTotals(h: SalesHistory, now: Date): SeedDemoResult['today'] {
  const { year, month, day } = localDateOf(now.getTime(), DEMO_TIME_ZONE);
  const start = startOfLocalDay(year, month, day, DEMO_TIME_ZONE);
  const today = h.sales.filter((s) => s.soldAt.getTime() >= start);
  const total = today.reduce((a, s) => a + s.totalCents, 0);
  const cost = today.reduce((a, s) => a + s.costCents, 0);
  return { totalCents: total, tickets: today.length, profitCents: total - cost };
}

async function main(): Promise<void> {
  loadEnvFile();
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    const started = Date.now();
    const r = await seedDemo(ds);
    const port = process.env.PORT ?? '3000';
    console.log(
      [
        `${r.created ? 'Created' : 'Refreshed'} "${DEMO_SHOP_NAME}" in ${Date.now() - started} ms`,
        `  tenant id:   ${r.tenantId}`,
        `  owner wa_id: ${DEMO_OWNER_WA_ID}   phone_number_id: ${DEMO_PHONE_NUMBER_ID}`,
        `  ${r.products} products, ${r.sales} sales (${r.saleItems} lines) over ${r.days} days, ${r.movements} stock movements`,
        `  today so far: ${formatMoney(r.today.totalCents)} in ${r.today.tickets} tickets, profit ${formatMoney(r.today.profitCents)}`,
        `No tokens were granted: sell the shop a package through the admin API, e.g.`,
        `  curl -X POST http://localhost:${port}/admin/tenants/${r.tenantId}/purchases \\`,
        `    -H "Authorization: Bearer $ADMIN_API_TOKEN" -H 'Content-Type: application/json' \\`,
        `    -d '{"packageCode":"estandar","paymentRef":"demo-${r.tenantId.slice(0, 8)}"}'`,
        `  (see /docs for the exact route and body)`,
      ].join('\n'),
    );
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
