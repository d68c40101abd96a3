import { startFakeGraphApi, type FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import {
  startFakeOpenRouter,
  toolCallingModel,
  type FakeOpenRouter,
  type RecordedRequest,
} from '../../dev/fakes/fake-openrouter';
import { sellPackage } from '../../dev/support/admin';
import { eventually, startApp, type RunningApp } from '../../dev/support/app-harness';
import { createTenant, type TestTenant } from '../../dev/support/tenants';
import { envelope, newWamid, postWebhook, textMessage } from '../../dev/support/webhook';
import { addProduct, insertSale, type SaleLine, type TestProduct } from '../support/store';

/**
 * Grounding: do the right figures reach the model, and the owner when the model is down?
 *
 * A shop with look-alike products (four Coca-Colas, two Sabritas…) and ~40 days of tickets.
 * For every question the expected figure is computed here, by SQL over the seeded tables and
 * local calendar ranges PostgreSQL works out, never by the code under test. Each question is
 * asked three ways through the signed webhook:
 *   - prefetch: the app reads the data before calling the model → the figure is in the
 *     prompt the fake OpenRouter received;
 *   - tool round: the app offers the tools (LLM_PREFETCH=false) and the fake acts as a model
 *     calling them with the arguments the question implies → the figure is in the tool
 *     result the model read;
 *   - level 2: OpenRouter answers 402 → the figure is in the answer the owner got.
 */

const TZ = 'America/Mexico_City';
const DAY_MS = 86_400_000;
const money = new Intl.NumberFormat('es-MX', {
  style: 'currency',
  currency: 'MXN',
  currencyDisplay: 'narrowSymbol',
  minimumFractionDigits: 2,
});
const fmt = (cents: number) => money.format(cents / 100);
const int = (n: number) => new Intl.NumberFormat('es-MX').format(n);

// --- the shop ------------------------------------------------------------------------------

const CATALOGUE = [
  { name: 'Coca-Cola 600 ml', priceCents: 2200, costCents: 1650, stock: 40, minStock: 24 },
  { name: 'Coca-Cola 2 L', priceCents: 4200, costCents: 3300, stock: 6, minStock: 8 },
  { name: 'Coca-Cola Light 600 ml', priceCents: 2300, costCents: 1700, stock: 15, minStock: 10 },
  {
    name: 'Coca-Cola Sin Azúcar 600 ml',
    aliases: ['coca zero'],
    priceCents: 2300,
    costCents: 1750,
    stock: 9,
    minStock: 10,
  },
  {
    name: 'Sabritas Original 45 g',
    aliases: ['sabritas'],
    priceCents: 1900,
    costCents: 1400,
    stock: 30,
    minStock: 12,
  },
  { name: 'Sabritas Adobadas 45 g', priceCents: 1900, costCents: 1450, stock: 22, minStock: 12 },
  {
    name: 'Pan Blanco Bimbo Grande',
    aliases: ['pan bimbo'],
    priceCents: 5200,
    costCents: 4100,
    stock: 12,
    minStock: 6,
  },
  {
    name: 'Maruchan Camarón con Limón',
    aliases: ['maruchan'],
    priceCents: 1600,
    costCents: 1000,
    stock: 5,
    minStock: 12,
  },
  {
    name: 'Leche Lala Entera 1 L',
    aliases: ['leche'],
    priceCents: 3000,
    costCents: 2550,
    stock: 20,
    minStock: 8,
  },
  {
    name: 'Huevo Blanco 1 kg',
    aliases: ['huevo', 'huevos'],
    priceCents: 4800,
    costCents: 3900,
    stock: 7,
    minStock: 4,
  },
] as const;
type ProductName = (typeof CATALOGUE)[number]['name'];
const COLAS: ProductName[] = [
  'Coca-Cola 600 ml',
  'Coca-Cola 2 L',
  'Coca-Cola Light 600 ml',
  'Coca-Cola Sin Azúcar 600 ml',
];

/** Deterministic pseudo-random numbers (mulberry32), so every run seeds the same history. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- what each question asks, as SQL sees it ----------------------------------------------

type Period =
  | 'today'
  | 'yesterday'
  | 'day_before'
  | 'this_week'
  | 'last_week'
  | 'this_month'
  | 'last_month'
  | { weekday: number }
  | { month: 'previous' }
  /** Days of last month, inclusive ("del 1 al 10 de octubre"). */
  | { previousMonthDays: [number, number] }
  /** From the last such weekday through today ("desde el lunes"). */
  | { sinceWeekday: number };

type Metric =
  | 'revenue'
  | 'units'
  | 'tickets'
  | 'avg_ticket'
  | 'cost'
  | 'profit'
  | 'margin'
  | 'top_units'
  | 'top_amount'
  | 'top_profit'
  | 'stock'
  | 'price'
  | 'low_stock'
  | 'not_found';

interface Case {
  q: string;
  metric: Metric;
  /** The products the question is about; none: the whole shop. */
  products?: ProductName[];
  period?: Period;
  /** not_found: the name the answer must say it did not find. */
  missing?: string;
}

const MONTHS = [
  'enero',
  'febrero',
  'marzo',
  'abril',
  'mayo',
  'junio',
  'julio',
  'agosto',
  'septiembre',
  'octubre',
  'noviembre',
  'diciembre',
];
/** Last month's name in the shop's calendar ("octubre" on any day of November there). */
const previousMonth = () => {
  const month = Number(
    new Intl.DateTimeFormat('en-US', { timeZone: TZ, month: 'numeric' }).format(new Date()),
  );
  return MONTHS[(month + 10) % 12];
};

const CASES: Case[] = [
  // The shop's sales, any period the classifier resolves.
  { q: '¿cuánto vendí hoy?', metric: 'revenue', period: 'today' },
  { q: '¿cuánto vendí ayer?', metric: 'revenue', period: 'yesterday' },
  { q: 'ventas de antier', metric: 'revenue', period: 'day_before' },
  { q: 'cuanto vendi esta semana', metric: 'revenue', period: 'this_week' },
  { q: '¿cuánto vendí la semana pasada?', metric: 'revenue', period: 'last_week' },
  { q: 'ventas de este mes', metric: 'revenue', period: 'this_month' },
  { q: 'cuanto vendi el mes pasado', metric: 'revenue', period: 'last_month' },
  { q: '¿cuánto vendí el sábado?', metric: 'revenue', period: { weekday: 6 } },
  { q: 'cuanto vendi el lunes', metric: 'revenue', period: { weekday: 1 } },
  { q: `¿cuánto vendí en ${previousMonth()}?`, metric: 'revenue', period: { month: 'previous' } },
  {
    q: `cuanto vendi del 1 al 10 de ${previousMonth()}`,
    metric: 'revenue',
    period: { previousMonthDays: [1, 10] },
  },
  {
    q: `ventas del 5 de ${previousMonth()}`,
    metric: 'revenue',
    period: { previousMonthDays: [5, 5] },
  },
  { q: 'ventas desde el lunes', metric: 'revenue', period: { sinceWeekday: 1 } },
  { q: 'cuantos tickets llevo hoy', metric: 'tickets', period: 'today' },
  { q: 'cuantos tickets hice ayer', metric: 'tickets', period: 'yesterday' },
  { q: 'ticket promedio de hoy', metric: 'avg_ticket', period: 'today' },
  { q: '¿cuántas piezas vendí esta semana?', metric: 'units', period: 'this_week' },
  { q: '¿cuánto me costó lo que vendí hoy?', metric: 'cost', period: 'today' },
  // One product, a look-alike family, or none.
  {
    q: '¿cuánto vendí de coca light hoy?',
    metric: 'revenue',
    products: ['Coca-Cola Light 600 ml'],
    period: 'today',
  },
  {
    q: 'cuantas coca light vendi ayer',
    metric: 'units',
    products: ['Coca-Cola Light 600 ml'],
    period: 'yesterday',
  },
  {
    q: 'ventas de coca de 2 litros esta semana',
    metric: 'revenue',
    products: ['Coca-Cola 2 L'],
    period: 'this_week',
  },
  { q: '¿cuánto vendí de coca hoy?', metric: 'revenue', products: COLAS, period: 'today' },
  {
    q: 'cuanto vendi de coca 600 el mes pasado',
    metric: 'revenue',
    products: ['Coca-Cola 600 ml'],
    period: 'last_month',
  },
  {
    q: '¿cuánto vendí de sabritas ayer?',
    metric: 'revenue',
    products: ['Sabritas Original 45 g'],
    period: 'yesterday',
  },
  {
    q: 'cuantas sabritas adobadas vendi esta semana',
    metric: 'units',
    products: ['Sabritas Adobadas 45 g'],
    period: 'this_week',
  },
  {
    q: '¿cuánto vendí de maruchan este mes?',
    metric: 'revenue',
    products: ['Maruchan Camarón con Limón'],
    period: 'this_month',
  },
  {
    q: 'cuanto vendi de pan bimbo la semana pasada',
    metric: 'revenue',
    products: ['Pan Blanco Bimbo Grande'],
    period: 'last_week',
  },
  {
    q: 'ventas de leche el sábado',
    metric: 'revenue',
    products: ['Leche Lala Entera 1 L'],
    period: { weekday: 6 },
  },
  {
    q: '¿cuánto vendí de coca zero hoy?',
    metric: 'revenue',
    products: ['Coca-Cola Sin Azúcar 600 ml'],
    period: 'today',
  },
  {
    q: 'cuantos huevos vendi ayer',
    metric: 'units',
    products: ['Huevo Blanco 1 kg'],
    period: 'yesterday',
  },
  { q: '¿cuánto vendí de pepsi hoy?', metric: 'not_found', period: 'today', missing: 'pepsi' },
  // A look-alike the shop does not have is not answered with the one it has.
  {
    q: '¿cuánto vendí de coca de lata hoy?',
    metric: 'not_found',
    period: 'today',
    missing: 'coca de lata',
  },
  // Profit, cost and margin.
  { q: '¿cuánto gané hoy?', metric: 'profit', period: 'today' },
  { q: 'cuanto gane ayer', metric: 'profit', period: 'yesterday' },
  { q: 'ganancia de esta semana', metric: 'profit', period: 'this_week' },
  { q: 'cuanto gane el mes pasado', metric: 'profit', period: 'last_month' },
  {
    q: '¿cuánto gané con la coca light esta semana?',
    metric: 'profit',
    products: ['Coca-Cola Light 600 ml'],
    period: 'this_week',
  },
  {
    q: '¿cuánto gané con la coca de 2 litros este mes?',
    metric: 'profit',
    products: ['Coca-Cola 2 L'],
    period: 'this_month',
  },
  {
    q: 'margen de la coca light este mes',
    metric: 'margin',
    products: ['Coca-Cola Light 600 ml'],
    period: 'this_month',
  },
  {
    q: 'cuanto gane con las maruchan ayer',
    metric: 'profit',
    products: ['Maruchan Camarón con Limón'],
    period: 'yesterday',
  },
  {
    q: 'ganancia de las sabritas hoy',
    metric: 'profit',
    products: ['Sabritas Original 45 g'],
    period: 'today',
  },
  { q: 'ganancia de la coca hoy', metric: 'profit', products: COLAS, period: 'today' },
  {
    q: 'cuanto gane con pepsi esta semana',
    metric: 'not_found',
    period: 'this_week',
    missing: 'pepsi',
  },
  // Rankings: by units, by money, by what the products left.
  { q: '¿qué fue lo que más vendí este mes?', metric: 'top_units', period: 'this_month' },
  { q: 'lo más vendido de la semana', metric: 'top_units', period: 'this_week' },
  { q: '¿qué producto me dejó más dinero este mes?', metric: 'top_profit', period: 'this_month' },
  { q: '¿qué me deja más?', metric: 'top_profit', period: 'today' },
  { q: 'que producto vendio mas piezas ayer', metric: 'top_units', period: 'yesterday' },
  { q: '¿qué producto vendió más dinero esta semana?', metric: 'top_amount', period: 'this_week' },
  { q: '¿qué fue lo más vendido el mes pasado?', metric: 'top_units', period: 'last_month' },
  // Stock, what to reorder, prices.
  { q: '¿cuántas coca light me quedan?', metric: 'stock', products: ['Coca-Cola Light 600 ml'] },
  { q: 'cuantas coca de 2 litros tengo', metric: 'stock', products: ['Coca-Cola 2 L'] },
  { q: '¿cuántas maruchan me quedan?', metric: 'stock', products: ['Maruchan Camarón con Limón'] },
  { q: 'inventario de sabritas', metric: 'stock', products: ['Sabritas Original 45 g'] },
  { q: 'cuantos huevos me quedan', metric: 'stock', products: ['Huevo Blanco 1 kg'] },
  { q: '¿cuántas cocas me quedan?', metric: 'stock', products: COLAS },
  { q: 'cuantas pepsis me quedan', metric: 'not_found', missing: 'pepsi' },
  { q: '¿qué me falta surtir?', metric: 'low_stock' },
  { q: 'que tengo que pedir', metric: 'low_stock' },
  { q: '¿a cómo tengo la coca light?', metric: 'price', products: ['Coca-Cola Light 600 ml'] },
  { q: 'precio de la coca de 2 litros', metric: 'price', products: ['Coca-Cola 2 L'] },
  { q: '¿cuánto cuesta la maruchan?', metric: 'price', products: ['Maruchan Camarón con Limón'] },
  { q: 'precio de las sabritas adobadas', metric: 'price', products: ['Sabritas Adobadas 45 g'] },
  { q: 'a como tengo el pan bimbo', metric: 'price', products: ['Pan Blanco Bimbo Grande'] },
  { q: 'precio de la leche', metric: 'price', products: ['Leche Lala Entera 1 L'] },
  { q: '¿a cómo está la coca zero?', metric: 'price', products: ['Coca-Cola Sin Azúcar 600 ml'] },
  { q: '¿a cómo tengo las cocas?', metric: 'price', products: COLAS },
  { q: 'precio de la pepsi', metric: 'not_found', missing: 'pepsi' },
  { q: 'precio de las sabritas de queso', metric: 'not_found', missing: 'sabritas de queso' },
];

/** [from, to) of a local calendar period, as PostgreSQL computes it in the shop's zone. */
function periodSql(p: Period): string {
  const day = `date_trunc('day', $1::timestamptz AT TIME ZONE $2)`;
  const span = (start: string, length: string) =>
    `SELECT (${start}) AT TIME ZONE $2 AS f, (${start} + interval '${length}') AT TIME ZONE $2 AS t`;
  if (p === 'today') return span(day, '1 day');
  if (p === 'yesterday') return span(`${day} - interval '1 day'`, '1 day');
  if (p === 'day_before') return span(`${day} - interval '2 day'`, '1 day');
  if (p === 'this_week') return span(`date_trunc('week', ${day})`, '7 day');
  if (p === 'last_week') return span(`date_trunc('week', ${day}) - interval '7 day'`, '7 day');
  if (p === 'this_month') return span(`date_trunc('month', ${day})`, '1 month');
  if (p === 'last_month')
    return span(`date_trunc('month', ${day}) - interval '1 month'`, '1 month');
  const lastWeekday = (w: number) =>
    `${day} - make_interval(days => ((extract(dow FROM ${day})::int - ${w} + 7) % 7))`;
  if ('weekday' in p) return span(lastWeekday(p.weekday), '1 day');
  if ('sinceWeekday' in p) {
    return `SELECT (${lastWeekday(p.sinceWeekday)}) AT TIME ZONE $2 AS f,
                   (${day} + interval '1 day') AT TIME ZONE $2 AS t`;
  }
  if ('previousMonthDays' in p) {
    const first = `date_trunc('month', ${day}) - interval '1 month'`;
    const [a, b] = p.previousMonthDays;
    return `SELECT (${first} + interval '${a - 1} day') AT TIME ZONE $2 AS f,
                   (${first} + interval '${b} day') AT TIME ZONE $2 AS t`;
  }
  return span(`date_trunc('month', ${day}) - interval '1 month'`, '1 month');
}

/** What must reach the model, and what the owner must read at level 2. */
interface Expected {
  model: string[];
  reply: string[];
  /** Must appear in neither (a store total answered for a product that does not exist). */
  absent?: string[];
}

describe('grounding: the right figure reaches the model and the level-2 answer (e2e)', () => {
  let graph: FakeGraphApi;
  let llm: FakeOpenRouter;
  let prefetching: RunningApp;
  let toolRound: RunningApp;
  let shop: TestTenant;
  const ids = new Map<ProductName, string>();

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    llm = await startFakeOpenRouter();
    const env = {
      WHATSAPP_API_BASE_URL: graph.baseUrl,
      OPENROUTER_BASE_URL: llm.baseUrl,
      LLM_TIMEOUT_MS: '3000',
    };
    prefetching = await startApp(env);
    toolRound = await startApp({ ...env, LLM_PREFETCH: 'false' });
    shop = await createTenant(prefetching.db, { name: 'Abarrotes La Grounding', timezone: TZ });
    // ~190 answers, tool rounds included: never out of tokens halfway.
    for (let i = 0; i < 8; i++) await sellPackage(prefetching, shop.id, 'empresarial');
    await seed();
  }, 120_000);

  afterAll(async () => {
    await prefetching?.close();
    await toolRound?.close();
    await graph?.close();
    await llm?.close();
  });

  async function seed(): Promise<void> {
    const products = new Map<ProductName, TestProduct>();
    for (const p of CATALOGUE) {
      const added = await addProduct(prefetching.db, shop.id, {
        ...p,
        aliases: 'aliases' in p ? [...p.aliases] : [],
      });
      products.set(p.name, added);
      ids.set(p.name, added.id);
    }
    const random = prng(20261125);
    const pick = () => CATALOGUE[Math.floor(random() * CATALOGUE.length)]!.name;
    const now = Date.now();
    const ticket = async (soldAt: Date) => {
      const lines = new Map<string, SaleLine>();
      const count = 1 + Math.floor(random() * 3);
      for (let i = 0; i < count; i++) {
        const p = products.get(pick())!;
        const line = lines.get(p.id);
        const quantity = 1 + Math.floor(random() * 4);
        if (line) line.quantity += quantity;
        else
          lines.set(p.id, {
            productId: p.id,
            quantity,
            priceCents: p.priceCents,
            costCents: p.costCents,
          });
      }
      await insertSale(prefetching.db, shop.id, soldAt, [...lines.values()]);
    };
    // Today: a few tickets in the last minutes (so "hoy" has sales at any hour).
    for (let i = 1; i <= 6; i++) await ticket(new Date(now - i * 13_000));
    // 40 days back: 5–10 tickets a day at any hour.
    for (let d = 1; d <= 40; d++) {
      const tickets = 5 + Math.floor(random() * 6);
      for (let i = 0; i < tickets; i++) {
        await ticket(new Date(now - d * DAY_MS - Math.floor(random() * DAY_MS * 0.9)));
      }
    }
  }

  /** The expected figures for a case, computed by SQL at `at`. */
  async function expected(c: Case, at: Date): Promise<Expected> {
    const db = prefetching.db;
    const productIds = (c.products ?? []).map((n) => ids.get(n)!);
    const byName = async (column: string) =>
      (await db.query(
        `SELECT name, ${column} AS v FROM products WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY name`,
        [shop.id, productIds],
      )) as { name: string; v: number }[];
    if (c.metric === 'stock') {
      const rows = await byName('stock');
      return {
        model: rows.map((r) => `"stock":${r.v}`),
        reply: rows.map((r) => `${r.name}: te quedan ${int(r.v)}`),
      };
    }
    if (c.metric === 'price') {
      const rows = await byName('price_cents');
      return {
        model: rows.map((r) => fmt(r.v)),
        reply: rows.map((r) => `${r.name} está a ${fmt(r.v)}`),
      };
    }
    if (c.metric === 'low_stock') {
      const rows = (await db.query(
        `SELECT name FROM products WHERE tenant_id = $1 AND stock <= min_stock
          ORDER BY stock - min_stock, name LIMIT 5`,
        [shop.id],
      )) as { name: string }[];
      const names = rows.map((r) => r.name);
      return { model: names, reply: names };
    }
    const [{ f, t }] = (await db.query(periodSql(c.period ?? 'today'), [at, TZ])) as {
      f: Date;
      t: Date;
    }[];
    const range = [shop.id, f, t];
    if (c.metric === 'not_found') {
      const [store] = (await db.query(
        `SELECT COALESCE(SUM(total_cents), 0)::int AS total FROM sales
          WHERE tenant_id = $1 AND sold_at >= $2 AND sold_at < $3`,
        range,
      )) as { total: number }[];
      // "pepsi": said so, and never the shop's total instead (unless that total is nothing).
      return {
        model: ['"found":false'],
        reply: [`No encontré «${c.missing}`],
        absent: store.total > 0 ? [fmt(store.total)] : [],
      };
    }
    if (c.metric.startsWith('top_')) {
      const order = {
        top_units: 'SUM(si.quantity) DESC, SUM(si.subtotal_cents) DESC',
        top_amount: 'SUM(si.subtotal_cents) DESC, SUM(si.quantity) DESC',
        top_profit:
          'SUM(si.subtotal_cents - si.quantity * si.unit_cost_cents) DESC, SUM(si.subtotal_cents) DESC',
      }[c.metric as 'top_units'];
      const [first] = (await db.query(
        `SELECT p.name, SUM(si.quantity)::int AS qty, SUM(si.subtotal_cents)::int AS revenue,
                SUM(si.subtotal_cents - si.quantity * si.unit_cost_cents)::int AS profit
           FROM sales s JOIN sale_items si ON si.sale_id = s.id
           JOIN products p ON p.id = si.product_id
          WHERE s.tenant_id = $1 AND s.sold_at >= $2 AND s.sold_at < $3
          GROUP BY p.name ORDER BY ${order}, p.name LIMIT 1`,
        range,
      )) as { name: string; qty: number; revenue: number; profit: number }[];
      if (!first) return { model: ['"top":[]'], reply: ['no hubo ventas'] };
      const figure = c.metric === 'top_profit' ? fmt(first.profit) : fmt(first.revenue);
      return {
        model: [first.name, figure],
        reply: [
          `1. ${first.name}: ${c.metric === 'top_profit' ? figure : `${int(first.qty)} pieza`}`,
        ],
      };
    }
    if (!c.products) {
      const [s] = (await db.query(
        `SELECT COALESCE(SUM(total_cents), 0)::int AS revenue, COUNT(*)::int AS tickets,
                COALESCE(SUM(item_count), 0)::int AS units,
                COALESCE(ROUND(AVG(total_cents)), 0)::int AS avg,
                COALESCE(SUM(cost_cents), 0)::int AS cost
           FROM sales WHERE tenant_id = $1 AND sold_at >= $2 AND sold_at < $3`,
        range,
      )) as { revenue: number; tickets: number; units: number; avg: number; cost: number }[];
      switch (c.metric) {
        case 'revenue':
          return { model: [fmt(s.revenue)], reply: [fmt(s.revenue)] };
        case 'tickets':
          return {
            model: [`"tickets":${s.tickets}`],
            reply: [s.tickets === 1 ? '1 venta' : `${int(s.tickets)} ventas`],
          };
        case 'units':
          return { model: [`"items":${s.units}`], reply: [`${int(s.units)} pieza`] };
        case 'avg_ticket':
          return { model: [fmt(s.avg)], reply: [`ticket promedio ${fmt(s.avg)}`] };
        case 'cost':
          return { model: [fmt(s.cost)], reply: [`costo de lo vendido ${fmt(s.cost)}`] };
        case 'profit':
          return {
            model: [fmt(s.revenue - s.cost)],
            reply: [`${fmt(s.revenue - s.cost)} de ganancia`],
          };
        default:
          throw new Error(`no shop-level ${c.metric}`);
      }
    }
    const [p] = (await db.query(
      `SELECT COALESCE(SUM(si.subtotal_cents), 0)::int AS revenue,
              COALESCE(SUM(si.quantity), 0)::int AS units,
              COALESCE(SUM(si.subtotal_cents - si.quantity * si.unit_cost_cents), 0)::int AS profit
         FROM sales s JOIN sale_items si ON si.sale_id = s.id
        WHERE s.tenant_id = $1 AND s.sold_at >= $2 AND s.sold_at < $3
          AND si.product_id = ANY($4::uuid[])`,
      [...range, productIds],
    )) as { revenue: number; units: number; profit: number }[];
    // Several products matched: the answer must say which ones it added up.
    const named = c.products.length > 1 ? c.products : [];
    switch (c.metric) {
      case 'revenue':
        return { model: [fmt(p.revenue), ...named], reply: [fmt(p.revenue), ...named] };
      case 'units':
        return { model: [`"units":${p.units}`], reply: [`${int(p.units)} pieza`] };
      case 'profit':
        return { model: [fmt(p.profit), ...named], reply: [`te dejó ${fmt(p.profit)}`, ...named] };
      case 'margin': {
        const pct = p.revenue > 0 ? Math.round((1000 * p.profit) / p.revenue) / 10 : null;
        return {
          model: [`"margin_pct":${pct}`],
          reply: pct === null ? ['vendiste $0.00'] : [`margen ${pct.toLocaleString('es-MX')} %`],
        };
      }
      default:
        throw new Error(`no product ${c.metric}`);
    }
  }

  /** Asks through the signed webhook; the reply and every LLM request made for it. */
  async function ask(app: RunningApp, question: string, script?: () => void) {
    // Each question on its own: no earlier exchange to follow up on.
    await app.db.query(`DELETE FROM conversation_turns WHERE tenant_id = $1`, [shop.id]);
    llm.reset();
    llm.setDefault(toolCallingModel);
    script?.();
    graph.reset();
    const wamid = newWamid();
    const before = new Date();
    const res = await postWebhook(
      app.url,
      envelope(
        { messages: [textMessage({ from: shop.ownerWaId, text: question, wamid })] },
        shop.phoneNumberId,
      ),
    );
    expect(res.status).toBe(200);
    const sent = await eventually(
      async () => {
        const [row] = (await app.db.query(
          `SELECT wamid, fallback_level FROM outbound_messages
            WHERE inbound_wamid = $1 AND purpose = 'reply' AND wamid IS NOT NULL`,
          [wamid],
        )) as { wamid: string; fallback_level: string }[];
        const message = row && graph.sent.find((s) => s.wamid === row.wamid);
        return message && { text: message.text, level: row.fallback_level };
      },
      20_000,
      `the reply to "${question}"`,
    );
    // The answer's own calls (an unsure message also gets one JSON-mode classification call).
    const requests = llm
      .chatRequests()
      .filter(
        (r) => (r.body?.response_format as { type?: string } | undefined)?.type !== 'json_object',
      );
    return { ...sent, requests, before, after: new Date() };
  }

  const systemOf = (r: RecordedRequest) =>
    String(r.body?.messages?.find((m) => m.role === 'system')?.content ?? '');
  const toolResults = (requests: RecordedRequest[]) =>
    requests
      .flatMap((r) => r.body?.messages ?? [])
      .filter((m) => m.role === 'tool')
      .map((m) => String(m.content))
      .join('\n');

  /** The figures for the clock the app may have used (one of both ends of the ask). */
  async function expectations(c: Case, before: Date, after: Date): Promise<Expected[]> {
    const a = await expected(c, before);
    const b = await expected(c, after);
    return JSON.stringify(a) === JSON.stringify(b) ? [a] : [a, b];
  }

  function matchesOne(text: string, options: Expected[], key: 'model' | 'reply') {
    const ok = options.some(
      (e) =>
        e[key].every((s) => text.includes(s)) && !(e.absent ?? []).some((s) => text.includes(s)),
    );
    if (!ok) {
      throw new Error(
        `expected ${JSON.stringify(options.map((e) => ({ [key]: e[key], absent: e.absent })))} in:\n${text}`,
      );
    }
  }

  it(`covers at least 60 questions`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  describe('prefetched: the figure is in the prompt the model gets', () => {
    it.each(CASES)('$q', async (c) => {
      const { requests, level, before, after } = await ask(prefetching, c.q);
      expect(level).toBe('1');
      expect(requests).toHaveLength(1);
      expect(requests[0].body?.tools ?? []).toHaveLength(0);
      matchesOne(systemOf(requests[0]), await expectations(c, before, after), 'model');
    });
  });

  describe('tool round: a model calling the offered tools reads the figure in their result', () => {
    it.each(CASES)('$q', async (c) => {
      const { requests, level, before, after } = await ask(toolRound, c.q);
      expect(level).toBe('1');
      expect(requests.length).toBeGreaterThanOrEqual(2);
      expect(requests[0].body?.tools?.length).toBeGreaterThan(0);
      expect(systemOf(requests[0])).not.toContain('Datos (');
      matchesOne(toolResults(requests), await expectations(c, before, after), 'model');
    });
  });

  describe('level 2 (OpenRouter answers 402): the figure is in the answer', () => {
    it.each(CASES)('$q', async (c) => {
      const { text, level, requests, before, after } = await ask(prefetching, c.q, () =>
        llm.on(() => true, { status: 402, message: 'Insufficient credits' }),
      );
      expect(level).toBe('2');
      expect(requests).toHaveLength(1);
      matchesOne(text, await expectations(c, before, after), 'reply');
    });
  });
});
