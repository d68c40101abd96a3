import { randomUUID } from 'node:crypto';
import { localDateOf, startOfLocalDay } from '../../src/intents/time-zone';

/**
 * Deterministic sales history for the demo shop: the same `now` always yields the same
 * tickets, totals and stock ledger (ids aside), so demos, screenshots and tests agree.
 */

export interface SeedProduct {
  id: string;
  name: string;
  priceCents: number;
  costCents: number;
  stock: number;
  weight: number;
}

export interface SeedSale {
  id: string;
  soldAt: Date;
  totalCents: number;
  costCents: number;
  itemCount: number;
}

export interface SeedSaleItem {
  saleId: string;
  productId: string;
  quantity: number;
  unitPriceCents: number;
  unitCostCents: number;
  subtotalCents: number;
}

export interface SeedMovement {
  productId: string;
  delta: number;
  reason: 'count' | 'purchase' | 'sale';
  note: string | null;
  at: Date;
}

export interface SalesHistory {
  sales: SeedSale[];
  items: SeedSaleItem[];
  movements: SeedMovement[];
}

const MINUTE = 60_000;
/** Sunday = 0. Corner shops peak on Friday and Saturday evenings, Sunday is steady. */
const TICKETS_BY_WEEKDAY = [44, 34, 33, 35, 38, 50, 58];
/** Open 07:00–22:00; breakfast and after-work peaks. Index 0 = 07:00. */
const HOUR_WEIGHTS = [6, 8, 6, 4, 4, 5, 6, 6, 4, 4, 5, 7, 8, 8, 5];
const LINES_WEIGHTS = [45, 30, 15, 7, 3];
/** Restocks arrive every 7 days, before opening, covering what that week sells. */
const RESTOCK_EVERY_DAYS = 7;
const PRNG_SEED = 0x5eed_1e7a;

/** mulberry32: tiny, fast and good enough to make a demo look organic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pickWeighted(rand: () => number, weights: readonly number[], total: number): number {
  let r = rand() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return weights.length - 1;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * `days` local calendar days ending today (today's tickets only up to `now`). Stock ledger:
 * an opening count equal to the catalogue's current stock, a purchase at the start of each
 * week for what that week sells, and one 'sale' movement per ticket line — so each product's
 * movements add up to its current stock.
 */
export function generateSalesHistory(
  products: readonly SeedProduct[],
  now: Date,
  timeZone: string,
  days: number,
): SalesHistory {
  const rand = prng(PRNG_SEED);
  const weights = products.map((p) => p.weight);
  const totalWeight = sum(weights);
  const hourTotal = sum(HOUR_WEIGHTS);
  const linesTotal = sum(LINES_WEIGHTS);
  const today = localDateOf(now.getTime(), timeZone);
  const dayStart = (offset: number) =>
    startOfLocalDay(today.year, today.month, today.day - offset, timeZone);

  const history: SalesHistory = { sales: [], items: [], movements: [] };
  const firstDay = days - 1;
  for (const p of products) {
    history.movements.push({
      productId: p.id,
      delta: p.stock,
      reason: 'count',
      note: 'inventario inicial',
      at: new Date(dayStart(firstDay) + 6 * 60 * MINUTE),
    });
  }

  let weekSold = new Map<string, number>();
  let weekStartAt = 0;
  const closeWeek = () => {
    const at = new Date(Math.min(weekStartAt, now.getTime()));
    for (const [productId, qty] of weekSold) {
      history.movements.push({
        productId,
        delta: qty,
        reason: 'purchase',
        note: 'surtido semanal',
        at,
      });
    }
    weekSold = new Map();
  };

  for (let offset = firstDay; offset >= 0; offset--) {
    const start = dayStart(offset);
    if ((firstDay - offset) % RESTOCK_EVERY_DAYS === 0) {
      if (offset !== firstDay) closeWeek();
      weekStartAt = start + 6.5 * 60 * MINUTE;
    }
    const civil = new Date(Date.UTC(today.year, today.month - 1, today.day - offset));
    const weekday = civil.getUTCDay();
    const dom = civil.getUTCDate();
    const lastOfMonth = new Date(civil.getTime() + 86_400_000).getUTCDate() === 1;
    // Payday ("quincena") on the 15th and the last day brings more people in.
    const payday = dom === 15 || lastOfMonth ? 1.15 : 1;
    const tickets = Math.round(TICKETS_BY_WEEKDAY[weekday] * payday * (0.85 + rand() * 0.3));
    const weekend = weekday === 5 || weekday === 6;

    const times = Array.from({ length: tickets }, () => {
      const hour = 7 + pickWeighted(rand, HOUR_WEIGHTS, hourTotal);
      return start + (hour * 60 + Math.floor(rand() * 60)) * MINUTE + Math.floor(rand() * 60_000);
    }).sort((a, b) => a - b);

    for (const time of times) {
      const lines = 1 + pickWeighted(rand, LINES_WEIGHTS, linesTotal);
      const chosen = new Set<number>();
      while (chosen.size < lines) chosen.add(pickWeighted(rand, weights, totalWeight));
      // Always draw the quantities, even for tickets after `now`, so the random stream (and
      // therefore every earlier day) does not depend on the time of day `now` falls on.
      const quantities = [...chosen].map((i) => quantityFor(products[i], weekend, rand));
      if (time > now.getTime()) continue;

      const sale: SeedSale = {
        id: randomUUID(),
        soldAt: new Date(time),
        totalCents: 0,
        costCents: 0,
        itemCount: 0,
      };
      [...chosen].forEach((index, n) => {
        const p = products[index];
        const quantity = quantities[n];
        history.items.push({
          saleId: sale.id,
          productId: p.id,
          quantity,
          unitPriceCents: p.priceCents,
          unitCostCents: p.costCents,
          subtotalCents: quantity * p.priceCents,
        });
        sale.totalCents += quantity * p.priceCents;
        sale.costCents += quantity * p.costCents;
        sale.itemCount += quantity;
        weekSold.set(p.id, (weekSold.get(p.id) ?? 0) + quantity);
        history.movements.push({
          productId: p.id,
          delta: -quantity,
          reason: 'sale',
          note: null,
          at: sale.soldAt,
        });
      });
      history.sales.push(sale);
    }
  }
  closeWeek();
  return history;
}

function quantityFor(p: SeedProduct, weekend: boolean, rand: () => number): number {
  const r = rand();
  let qty = 1 + (r < 0.25 ? 1 : 0) + (r < 0.06 ? 1 : 0);
  // Beer goes by the six on Friday and Saturday nights.
  if (weekend && /^Cerveza/.test(p.name) && rand() < 0.4) qty += 4;
  return qty;
}
