import { normalizeWaId } from '../../src/tenants/phone-number';
import type { DataSource } from 'typeorm';
import { seedDemo, type SeedDemoResult } from '../../database/seeds/demo';
import { newWaId } from '../../dev/support/webhook';
import { openDb, toolsFor } from '../tools/store-fixtures';

/** Monday 23 Nov 2026, 14:00 in Mexico City: mid-afternoon, so "hoy" has tickets. */
const NOW = new Date('2026-11-23T20:00:00Z');
const TZ = 'America/Mexico_City';

let db: DataSource;
let first: SeedDemoResult;
let ownerWaId: string;
let phoneNumberId: string;

interface DayRow {
  day: string;
  tickets: number;
  total: number;
}

async function perDay(tenantId: string): Promise<DayRow[]> {
  const rows: { day: string; tickets: string; total: string }[] = await db.query(
    `SELECT to_char(sold_at AT TIME ZONE $2, 'YYYY-MM-DD') AS day, count(*) AS tickets,
            sum(total_cents) AS total
       FROM sales WHERE tenant_id = $1 GROUP BY 1 ORDER BY 1`,
    [tenantId, TZ],
  );
  return rows.map((r) => ({ day: r.day, tickets: Number(r.tickets), total: Number(r.total) }));
}

beforeAll(async () => {
  db = await openDb();
  ownerWaId = newWaId();
  phoneNumberId = `9${Date.now()}`;
  first = await seedDemo(db, { now: NOW, ownerWaId, phoneNumberId });
});

afterAll(async () => {
  await db.destroy();
});

it('creates the shop, its owner and its business number', async () => {
  expect(first.created).toBe(true);
  const [tenant]: { name: string; timezone: string; role: string; phone: string }[] =
    await db.query(
      `SELECT t.name, t.timezone, u.role, c.phone_number_id AS phone
       FROM tenants t JOIN tenant_users u ON u.tenant_id = t.id
       JOIN whatsapp_channels c ON c.tenant_id = t.id
      WHERE t.id = $1 AND u.wa_id = $2`,
      [first.tenantId, normalizeWaId(ownerWaId)],
    );
  expect(tenant).toEqual({
    name: 'Abarrotes Doña Lupita',
    timezone: TZ,
    role: 'owner',
    phone: phoneNumberId,
  });
});

it('has ~60 products, a few below their minimum, and 90 local days of sales up to now', async () => {
  expect(first.products).toBeGreaterThanOrEqual(55);
  expect(first.products).toBeLessThanOrEqual(70);
  const [low]: { n: string }[] = await db.query(
    `SELECT count(*) AS n FROM products WHERE tenant_id = $1 AND stock < min_stock`,
    [first.tenantId],
  );
  expect(Number(low.n)).toBeGreaterThanOrEqual(3);
  const days = await perDay(first.tenantId);
  expect(days).toHaveLength(90);
  expect(days[0].day).toBe('2026-08-26');
  expect(days[89].day).toBe('2026-11-23');
  const [latest]: { max: Date }[] = await db.query(
    `SELECT max(sold_at) AS max FROM sales WHERE tenant_id = $1`,
    [first.tenantId],
  );
  expect(latest.max.getTime()).toBeLessThanOrEqual(NOW.getTime());
});

it('sells more on Fridays and Saturdays, within business hours', async () => {
  const rows: { dow: number; hour: number; tickets: string }[] = await db.query(
    `SELECT extract(isodow FROM sold_at AT TIME ZONE $2)::int AS dow,
            extract(hour FROM sold_at AT TIME ZONE $2)::int AS hour, count(*) AS tickets
       FROM sales WHERE tenant_id = $1 GROUP BY 1, 2`,
    [first.tenantId, TZ],
  );
  const byDow = new Map<number, number>();
  for (const r of rows) byDow.set(r.dow, (byDow.get(r.dow) ?? 0) + Number(r.tickets));
  const weekdayMax = Math.max(...[1, 2, 3, 4].map((d) => byDow.get(d)!));
  expect(byDow.get(5)!).toBeGreaterThan(weekdayMax);
  expect(byDow.get(6)!).toBeGreaterThan(weekdayMax);
  expect(Math.min(...rows.map((r) => r.hour))).toBeGreaterThanOrEqual(7);
  expect(Math.max(...rows.map((r) => r.hour))).toBeLessThanOrEqual(21);
});

it('keeps the books consistent: sale totals, lines and the stock ledger agree', async () => {
  const [mismatch]: { tickets: string; stock: string }[] = await db.query(
    `SELECT
       (SELECT count(*) FROM sales s
          WHERE s.tenant_id = $1 AND s.total_cents <> (
            SELECT sum(subtotal_cents) FROM sale_items i WHERE i.sale_id = s.id)) AS tickets,
       (SELECT count(*) FROM products p
          WHERE p.tenant_id = $1 AND p.stock <> (
            SELECT sum(quantity_delta) FROM inventory_movements m WHERE m.product_id = p.id)) AS stock`,
    [first.tenantId],
  );
  expect(mismatch).toEqual({ tickets: '0', stock: '0' });
});

it('is deterministic for a fixed now, and answers the tools with the same numbers', async () => {
  // The known numbers for NOW: if the generator changes, update them consciously.
  expect(first.today).toEqual({ totalCents: 71_000, tickets: 13, profitCents: 18_100 });
  const { tools } = toolsFor(db);
  const ctx = { tenantId: first.tenantId, timeZone: TZ, now: NOW };
  const hoy = JSON.parse(
    (await tools.execute(ctx, 'get_sales_summary', '{"period":"hoy"}')).content,
  );
  expect(hoy).toMatchObject({ total_cents: first.today.totalCents, tickets: first.today.tickets });
  const coca = JSON.parse((await tools.execute(ctx, 'get_stock', '{"product":"coca"}')).content);
  expect(coca.product.name).toBe('Coca-Cola 600 ml');
});

it('is idempotent: a second run refreshes the same shop without duplicating anything', async () => {
  const before = await perDay(first.tenantId);
  const second = await seedDemo(db, { now: NOW, ownerWaId, phoneNumberId });
  expect(second).toEqual({ ...first, created: false });
  expect(await perDay(first.tenantId)).toEqual(before);
  const [counts]: Record<string, string>[] = await db.query(
    `SELECT (SELECT count(*) FROM tenant_users WHERE wa_id = $2) AS owners,
            (SELECT count(*) FROM products WHERE tenant_id = $1) AS products,
            (SELECT count(*) FROM sales WHERE tenant_id = $1) AS sales,
            (SELECT count(*) FROM whatsapp_channels WHERE tenant_id = $1) AS channels`,
    [first.tenantId, normalizeWaId(ownerWaId)],
  );
  expect(counts).toEqual({
    owners: '1',
    products: String(first.products),
    sales: String(first.sales),
    channels: '1',
  });
});

it('refuses to take over a business number that belongs to another shop', async () => {
  await expect(seedDemo(db, { now: NOW, ownerWaId: newWaId(), phoneNumberId })).rejects.toThrow(
    /already belongs/,
  );
});
