import type { DataSource } from 'typeorm';
import type { ProductInput } from '../../src/store/store.types';
import type { ToolContext, ToolsService } from '../../src/tools/tools.service';
import { createShop, insertSale, openDb, type ShopFixture, toolsFor } from './store-fixtures';

const CATALOGUE: ProductInput[] = [
  {
    name: 'Coca-Cola 600 ml',
    aliases: ['coca', 'cocacola'],
    priceCents: 2200,
    costCents: 1650,
    stock: 30,
    minStock: 12,
  },
  {
    name: 'Coca-Cola 2 L',
    aliases: ['coca grande'],
    priceCents: 4200,
    costCents: 3300,
    stock: 5,
    minStock: 6,
  },
  {
    name: 'Sabritas Original 45 g',
    aliases: ['sabritas', 'papas'],
    priceCents: 2000,
    costCents: 1500,
    stock: 20,
    minStock: 10,
  },
  {
    name: 'Maruchan Camarón',
    aliases: ['maruchan', 'sopa'],
    priceCents: 1600,
    costCents: 1050,
    stock: 2,
    minStock: 10,
  },
  {
    name: 'Leche Lala 1 L',
    aliases: ['lala'],
    priceCents: 3000,
    costCents: 2500,
    stock: 12,
    minStock: 6,
  },
  {
    name: 'Leche Alpura 1 L',
    aliases: ['alpura'],
    priceCents: 3200,
    costCents: 2650,
    stock: 8,
    minStock: 6,
  },
  {
    name: 'Jabón Zote 400 g',
    aliases: ['zote'],
    priceCents: 2600,
    costCents: 2000,
    stock: 9,
    minStock: 4,
    unit: 'pza',
  },
];

const TZ = 'America/Mexico_City';
/** Sunday 22 Nov 2026, 21:00 in Mexico City (UTC-6) — already Monday in UTC. */
const EVENING = new Date('2026-11-23T03:00:00Z');

let db: DataSource;
let tools: ToolsService;
let shop: ShopFixture;
let ctx: ToolContext;

async function run(name: string, args: unknown, at: ToolContext = ctx) {
  const result = await tools.execute(at, name, JSON.stringify(args));
  expect(result.ok).toBe(true);
  return JSON.parse(result.content) as Record<string, unknown>;
}

function line(name: string, quantity: number) {
  const p = CATALOGUE.find((c) => c.name === name)!;
  return {
    productId: shop.products.get(name)!,
    quantity,
    priceCents: p.priceCents,
    costCents: p.costCents!,
  };
}

beforeAll(async () => {
  db = await openDb();
  tools = toolsFor(db).tools;
  shop = await createShop(db, CATALOGUE);
  ctx = { tenantId: shop.tenantId, timeZone: TZ, now: EVENING };
  // Local 22 Nov 19:00 → hoy.
  await insertSale(db, shop.tenantId, new Date('2026-11-23T01:00:00Z'), [
    line('Coca-Cola 600 ml', 2),
  ]);
  // Local 22 Nov 00:30 → hoy: just after local midnight (06:30 UTC).
  await insertSale(db, shop.tenantId, new Date('2026-11-22T06:30:00Z'), [
    line('Maruchan Camarón', 1),
  ]);
  // Local 21 Nov 23:30 → ayer, though in UTC it is already the 22nd.
  await insertSale(db, shop.tenantId, new Date('2026-11-22T05:30:00Z'), [
    line('Sabritas Original 45 g', 1),
  ]);
  // Local 20 Nov 23:59 → neither hoy nor ayer, still this week (Mon 16 – Sun 22).
  await insertSale(db, shop.tenantId, new Date('2026-11-21T05:59:00Z'), [line('Coca-Cola 2 L', 1)]);
});

afterAll(async () => {
  await db.destroy();
});

describe('periods in the shop’s time zone', () => {
  it('hoy and ayer follow the local calendar, not UTC', async () => {
    expect(await run('get_sales_summary', { period: 'hoy' })).toEqual({
      period: 'hoy',
      dates: '2026-11-22',
      total_cents: 6000,
      total: '$60.00',
      tickets: 2,
      items: 3,
      avg_ticket_cents: 3000,
      avg_ticket: '$30.00',
      cost: '$43.50',
    });
    expect(await run('get_sales_summary', { period: 'ayer' })).toMatchObject({
      dates: '2026-11-21',
      total_cents: 2000,
      tickets: 1,
    });
  });

  it('defaults to hoy when no period is given', async () => {
    expect(await run('get_sales_summary', {})).toMatchObject({ period: 'hoy', total_cents: 6000 });
    // Some models send an empty string for "no arguments".
    const empty = await tools.execute(ctx, 'get_profit', '');
    expect(JSON.parse(empty.content)).toMatchObject({ period: 'hoy', revenue_cents: 6000 });
  });

  it('rolls over at local midnight (06:00 UTC), not at UTC midnight', async () => {
    const justAfter = { ...ctx, now: new Date('2026-11-23T06:00:30Z') };
    expect(await run('get_sales_summary', { period: 'hoy' }, justAfter)).toMatchObject({
      dates: '2026-11-23',
      total_cents: 0,
      tickets: 0,
      avg_ticket: '$0.00',
    });
    expect(await run('get_sales_summary', { period: 'ayer' }, justAfter)).toMatchObject({
      dates: '2026-11-22',
      total_cents: 6000,
    });
    const justBefore = { ...ctx, now: new Date('2026-11-23T05:59:59Z') };
    expect(await run('get_sales_summary', { period: 'hoy' }, justBefore)).toMatchObject({
      total_cents: 6000,
    });
  });

  it('takes from/to as inclusive local dates', async () => {
    expect(await run('get_sales_summary', { from: '2026-11-21', to: '2026-11-22' })).toMatchObject({
      dates: '2026-11-21..2026-11-22',
      total_cents: 8000,
      tickets: 3,
    });
    expect(await run('get_sales_summary', { from: '2026-11-20', to: '2026-11-20' })).toMatchObject({
      dates: '2026-11-20',
      total_cents: 4200,
    });
  });

  it('weeks start on Monday', async () => {
    expect(await run('get_sales_summary', { period: 'esta_semana' })).toMatchObject({
      dates: '2026-11-16..2026-11-22',
      total_cents: 12200,
      tickets: 4,
    });
    expect(await run('get_sales_summary', { period: 'semana_pasada' })).toMatchObject({
      dates: '2026-11-09..2026-11-15',
      total_cents: 0,
    });
    expect(await run('get_sales_summary', { period: 'este_mes' })).toMatchObject({
      dates: '2026-11-01..2026-11-30',
    });
    expect(await run('get_sales_summary', { period: 'mes_pasado' })).toMatchObject({
      dates: '2026-10-01..2026-10-31',
      tickets: 0,
    });
  });
});

describe('money and rankings', () => {
  it('profit uses the cost frozen on each sale', async () => {
    expect(await run('get_profit', { period: 'hoy' })).toEqual({
      period: 'hoy',
      dates: '2026-11-22',
      revenue_cents: 6000,
      revenue: '$60.00',
      cost_cents: 4350,
      cost: '$43.50',
      profit_cents: 1650,
      profit: '$16.50',
      margin_pct: 27.5,
    });
    expect(await run('get_profit', { period: 'semana_pasada' })).toMatchObject({
      profit_cents: 0,
      margin_pct: null,
    });
  });

  it('top products by units, limited', async () => {
    expect(await run('get_top_products', { period: 'esta_semana', limit: 2 })).toEqual({
      period: 'esta_semana',
      dates: '2026-11-16..2026-11-22',
      by: 'units',
      top: [
        { name: 'Coca-Cola 600 ml', qty: 2, revenue: '$44.00' },
        { name: 'Coca-Cola 2 L', qty: 1, revenue: '$42.00' },
      ],
    });
    // By profit, each one's profit and margin too.
    const byProfit = await run('get_top_products', {
      period: 'esta_semana',
      limit: 1,
      by: 'profit',
    });
    expect(byProfit.top).toEqual([
      { name: 'Coca-Cola 600 ml', qty: 2, revenue: '$44.00', profit: '$11.00', margin_pct: 25 },
    ]);
    const all = await run('get_top_products', { period: 'esta_semana' });
    expect(all.top).toHaveLength(4);
  });

  it('ranks by money taken and by profit too', async () => {
    // This week: Coca 600 2 × $22 = $44 (left $11) · Coca 2 L $42 ($9) · Sabritas $20 ($5) ·
    // Maruchan $16 ($5.50).
    const names = (r: Record<string, unknown>) => (r.top as { name: string }[]).map((t) => t.name);
    expect(names(await run('get_top_products', { period: 'esta_semana', by: 'amount' }))).toEqual([
      'Coca-Cola 600 ml',
      'Coca-Cola 2 L',
      'Sabritas Original 45 g',
      'Maruchan Camarón',
    ]);
    expect(names(await run('get_top_products', { period: 'esta_semana', by: 'profit' }))).toEqual([
      'Coca-Cola 600 ml',
      'Coca-Cola 2 L',
      'Maruchan Camarón',
      'Sabritas Original 45 g',
    ]);
  });

  it('low stock lists what is at or below its minimum, emptiest first', async () => {
    expect(await run('get_low_stock', {})).toEqual({
      count: 2,
      items: [
        { name: 'Maruchan Camarón', stock: 2, min: 10, unit: 'pza' },
        { name: 'Coca-Cola 2 L', stock: 5, min: 6, unit: 'pza' },
      ],
    });
  });
});

describe('one product, not the shop', () => {
  it("a product's sales: its units, tickets and money only", async () => {
    expect(
      await run('get_sales_summary', { period: 'esta_semana', product: 'coca grande' }),
    ).toEqual({
      period: 'esta_semana',
      dates: '2026-11-16..2026-11-22',
      product: 'Coca-Cola 2 L',
      units: 1,
      tickets: 1,
      total_cents: 4200,
      total: '$42.00',
    });
  });

  it("a product's profit, cost and margin", async () => {
    expect(await run('get_profit', { period: 'hoy', product: 'maruchan' })).toEqual({
      period: 'hoy',
      dates: '2026-11-22',
      product: 'Maruchan Camarón',
      revenue_cents: 1600,
      revenue: '$16.00',
      cost_cents: 1050,
      cost: '$10.50',
      profit_cents: 550,
      profit: '$5.50',
      margin_pct: 34.4,
    });
  });

  it('a product that did not sell reads zero, not the shop', async () => {
    expect(await run('get_sales_summary', { period: 'hoy', product: 'zote' })).toMatchObject({
      product: 'Jabón Zote 400 g',
      units: 0,
      total_cents: 0,
    });
  });

  it('several equally good matches: each one, and all of them, named', async () => {
    const result = await run('get_sales_summary', { period: 'esta_semana', product: 'leche' });
    expect(result).toMatchObject({
      matched: ['Leche Alpura 1 L', 'Leche Lala 1 L'],
      all: { units: 0, tickets: 0, total_cents: 0 },
    });
  });

  it('a product that does not exist: said so, never the store total', async () => {
    const result = await run('get_sales_summary', { period: 'hoy', product: 'pepsi' });
    expect(result).toEqual({ period: 'hoy', dates: '2026-11-22', found: false });
  });
});

describe('fuzzy product matching through the tools', () => {
  it.each([
    ['coca', 'Coca-Cola 600 ml'],
    ['cocas', 'Coca-Cola 600 ml'],
    ['Coca', 'Coca-Cola 600 ml'],
    ['cocacola', 'Coca-Cola 600 ml'],
    ['coca grande', 'Coca-Cola 2 L'],
    ['sabritas', 'Sabritas Original 45 g'],
    ['SABRITAS', 'Sabritas Original 45 g'],
    ['sabrtas', 'Sabritas Original 45 g'],
    ['sabritaz', 'Sabritas Original 45 g'],
    ['maruchan', 'Maruchan Camarón'],
    ['maruchn', 'Maruchan Camarón'],
    ['maruchan camaron', 'Maruchan Camarón'],
    ['jabon zote', 'Jabón Zote 400 g'],
    ['zote', 'Jabón Zote 400 g'],
    ['lala', 'Leche Lala 1 L'],
  ])('get_stock "%s" → %s', async (query, expected) => {
    const result = await run('get_stock', { product: query });
    expect(result.product).toMatchObject({ name: expected });
  });

  it('a clear winner also names the weaker matches', async () => {
    expect(await run('get_stock', { product: 'coca' })).toEqual({
      product: { name: 'Coca-Cola 600 ml', stock: 30, min: 12, unit: 'pza' },
      others: ['Coca-Cola 2 L'],
    });
  });

  it('flags low stock on a single product', async () => {
    expect(await run('get_stock', { product: 'maruchan' })).toEqual({
      product: { name: 'Maruchan Camarón', stock: 2, min: 10, unit: 'pza', low: true },
    });
  });

  it('a tie returns the candidates', async () => {
    const result = await run('get_stock', { product: 'leche' });
    expect(result).toMatchObject({ ambiguous: true });
    expect((result.candidates as { name: string }[]).map((c) => c.name).sort()).toEqual([
      'Leche Alpura 1 L',
      'Leche Lala 1 L',
    ]);
  });

  it('says when nothing matches, with close names when there are any', async () => {
    expect(await run('get_stock', { product: 'cerveza corona' })).toEqual({ found: false });
    const price = await run('get_price', { product: 'xyzzy' });
    expect(price).toMatchObject({ found: false });
  });

  it('prices carry cents and the formatted amount', async () => {
    expect(await run('get_price', { product: 'zote' })).toEqual({
      product: {
        name: 'Jabón Zote 400 g',
        unit: 'pza',
        price_cents: 2600,
        price: '$26.00',
        cost_cents: 2000,
        cost: '$20.00',
      },
    });
  });

  it('keeps results small', async () => {
    for (const [name, args] of [
      ['get_stock', { product: 'leche' }],
      ['get_low_stock', {}],
      ['get_top_products', { period: 'esta_semana', limit: 10 }],
    ] as const) {
      const result = await tools.execute(ctx, name, JSON.stringify(args));
      expect(result.content.length).toBeLessThan(600);
    }
  });
});
