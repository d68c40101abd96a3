import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import type { ProductInput } from '../../src/store/store.types';
import type { ToolContext, ToolsService } from '../../src/tools/tools.service';
import { createShop, insertSale, openDb, type ShopFixture, toolsFor } from './store-fixtures';

/**
 * Property: whatever a model passes — including the other shop's tenant id, product ids and
 * product names — a tool run with shop X's context only ever returns shop X's data.
 * Each shop's product names carry a marker word, so a leaked product shows up as a foreign
 * marker or id; aggregates are checked exactly against the shop's own fixture sales.
 */

interface Side {
  marker: string;
  shop: ShopFixture;
  catalogue: ProductInput[];
  /** Its fixture tickets: local date (sales are at 12:00 local) → revenue and cost. */
  sales: { date: string; totalCents: number; costCents: number }[];
}

function catalogue(marker: string, basePrice: number): ProductInput[] {
  const names = ['Coca-Cola', 'Sabritas', 'Maruchan', 'Leche Lala', 'Jabón Zote', 'Huevo'];
  return names.map((n, i) => ({
    name: `${n} ${marker} ${i + 1}`,
    aliases: [n.toLowerCase().split(' ')[0], 'coca', 'leche'],
    priceCents: basePrice + i * 10,
    costCents: Math.floor(basePrice * 0.7),
    stock: i,
    minStock: 3,
  }));
}

let db: DataSource;
let tools: ToolsService;
let alfa: Side;
let beta: Side;

beforeAll(async () => {
  db = await openDb();
  tools = toolsFor(db).tools;
  const alfaCatalogue = catalogue('Alfa', 1_000);
  const betaCatalogue = catalogue('Beta', 987_650);
  alfa = {
    marker: 'Alfa',
    catalogue: alfaCatalogue,
    shop: await createShop(db, alfaCatalogue, 'Tienda Alfa'),
    sales: [],
  };
  beta = {
    marker: 'Beta',
    catalogue: betaCatalogue,
    shop: await createShop(db, betaCatalogue, 'Tienda Beta'),
    sales: [],
  };
  // Same instants for both shops, so every period that sees one shop's sales sees the other's.
  for (const side of [alfa, beta]) {
    for (let day = 0; day < 20; day++) {
      const soldAt = new Date(Date.UTC(2026, 10, 3 + day, 18, 0, 0));
      const product = side.catalogue[day % side.catalogue.length];
      const quantity = 1 + (day % 3);
      side.sales.push({
        date: soldAt.toISOString().slice(0, 10),
        totalCents: quantity * product.priceCents,
        costCents: quantity * product.costCents!,
      });
      await insertSale(db, side.shop.tenantId, soldAt, [
        {
          productId: side.shop.products.get(product.name)!,
          quantity,
          priceCents: product.priceCents,
          costCents: product.costCents!,
        },
      ]);
    }
  }
});

afterAll(async () => {
  await db.destroy();
});

const PERIODS = ['hoy', 'ayer', 'esta_semana', 'semana_pasada', 'este_mes', 'mes_pasado'];
const TOOLS = [
  'get_sales_summary',
  'get_top_products',
  'get_profit',
  'get_stock',
  'get_low_stock',
  'get_price',
];

/** Strings a confused or malicious model might pass, including the other shop's identifiers. */
function hostileStrings(other: Side): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(other.shop.tenantId, ...other.shop.products.values()),
    fc.constantFrom(...other.catalogue.map((p) => p.name)),
    fc.constantFrom(
      'coca',
      'leche',
      'sabritas',
      'maruchan',
      'Beta',
      'Alfa',
      'huevo',
      '%',
      "' OR 1=1 --",
    ),
    fc.string({ maxLength: 20 }),
  );
}

function argsFor(other: Side): fc.Arbitrary<Record<string, unknown>> {
  const date = fc
    .date({
      min: new Date('2026-10-01T00:00:00Z'),
      max: new Date('2026-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));
  const injected = fc.record(
    {
      tenantId: hostileStrings(other),
      tenant_id: hostileStrings(other),
      shop: hostileStrings(other),
    },
    { requiredKeys: [] },
  );
  return fc
    .tuple(
      fc.oneof(
        fc.record({ period: fc.constantFrom(...PERIODS) }),
        fc.record({ from: date, to: date }),
        fc.record({ product: hostileStrings(other) }),
        fc.record({ limit: fc.integer({ min: 1, max: 10 }) }),
        fc.constant({}),
      ),
      fc.oneof(fc.constant({}), injected),
    )
    .map(([args, extra]) => ({ ...args, ...extra }));
}

function namesIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => namesIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const named = (k === 'name' || k === 'product') && typeof v === 'string';
      if (named || k === 'others' || k === 'suggestions' || k === 'matched') {
        out.push(...(Array.isArray(v) ? (v as string[]) : [v as string]));
      } else namesIn(v, out);
    }
  }
  return out;
}

describe.each([
  ['Alfa', () => [alfa, beta] as const],
  ['Beta', () => [beta, alfa] as const],
])('tools run for shop %s', (_label, sides) => {
  it('never return the other shop’s data, whatever the arguments', async () => {
    const [own, other] = sides();
    const now = fc.date({
      min: new Date('2026-11-01T00:00:00Z'),
      max: new Date('2026-12-15T00:00:00Z'),
      noInvalidDate: true,
    });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TOOLS), argsFor(other), now, async (name, args, at) => {
        const ctx: ToolContext = {
          tenantId: own.shop.tenantId,
          timeZone: 'America/Mexico_City',
          now: at,
        };
        const result = await tools.execute(ctx, name, JSON.stringify(args));
        const raw = result.content;
        expect(raw).not.toContain(other.marker);
        expect(raw).not.toContain(other.shop.tenantId);
        for (const id of other.shop.products.values()) expect(raw).not.toContain(id);
        if (!result.ok) return;
        const parsed = JSON.parse(raw) as Record<string, unknown>;
        const ownNames = new Set(own.catalogue.map((p) => p.name));
        for (const n of namesIn(parsed)) expect(ownNames.has(n)).toBe(true);
        // The shop's totals (a product's figures are checked against the seeded SQL elsewhere).
        if (typeof parsed.dates === 'string' && !('product' in args)) {
          const [first, last = first] = parsed.dates.split('..');
          const inRange = own.sales.filter((s) => s.date >= first && s.date <= last);
          const revenue = inRange.reduce((a, s) => a + s.totalCents, 0);
          const cost = inRange.reduce((a, s) => a + s.costCents, 0);
          if (name === 'get_sales_summary') {
            expect(parsed).toMatchObject({ total_cents: revenue, tickets: inRange.length });
          }
          if (name === 'get_profit') {
            expect(parsed).toMatchObject({ revenue_cents: revenue, cost_cents: cost });
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

it('the other shop’s tenant id as an argument is refused, not honoured', async () => {
  const ctx: ToolContext = {
    tenantId: alfa.shop.tenantId,
    timeZone: 'America/Mexico_City',
    now: new Date('2026-11-20T20:00:00Z'),
  };
  const result = await tools.execute(
    ctx,
    'get_low_stock',
    JSON.stringify({ tenantId: beta.shop.tenantId }),
  );
  expect(result).toEqual({
    ok: false,
    content: expect.stringMatching(/campo no permitido: tenantId/),
  });
  const own = await tools.execute(ctx, 'get_low_stock', '{}');
  expect(
    JSON.parse(own.content).items.every((i: { name: string }) => i.name.includes('Alfa')),
  ).toBe(true);
});
