import type { z } from 'zod';
import { formatMoney } from '../common/money';
import type { ProductResolution, ProductSales, StoreService } from '../store';
import { noArgs, productArgs, productPeriodArgs, topProductsArgs } from './tool-args';
import { toolRange } from './tool-period';
import {
  marginPct,
  money,
  notFound,
  priceFields,
  productResult,
  productSalesResult,
  rangeFields,
  stockFields,
} from './tool-results';

/** What every handler gets: the tenant and clock from the job, never from the model. */
export interface HandlerContext {
  tenantId: string;
  timeZone: string;
  now: Date;
  store: StoreService;
}

export interface ToolHandler<S extends z.ZodType = z.ZodType> {
  args: S;
  run(ctx: HandlerContext, args: z.infer<S>): Promise<unknown>;
}

function handler<S extends z.ZodType>(args: S, run: ToolHandler<S>['run']): ToolHandler {
  return { args, run } as ToolHandler;
}

const DEFAULT_TOP = 5;
/** Enough to plan a restock; the count says how many more there are. */
const LOW_STOCK_SHOWN = 15;
const PRODUCT_CANDIDATES = 5;

type Figures = Omit<ProductSales, 'productId' | 'name'>;

const salesFigures = (s: Figures) => ({
  units: s.units,
  tickets: s.tickets,
  ...money('total', s.revenueCents),
});

const profitFigures = (s: Figures) => ({
  ...money('revenue', s.revenueCents),
  ...money('cost', s.costCents),
  ...money('profit', s.profitCents),
  margin_pct: marginPct(s.profitCents, s.revenueCents),
});

/** A product's sales or profit over the range: what it resolved to, or that nothing did. */
async function productFigures(
  ctx: HandlerContext,
  args: z.infer<typeof productPeriodArgs> & { product: string },
  figures: (s: Figures) => Record<string, unknown>,
  each: (s: ProductSales) => Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const range = toolRange(args, ctx.now, ctx.timeZone);
  const resolution: ProductResolution = await ctx.store.resolveProducts(
    ctx.tenantId,
    args.product,
    PRODUCT_CANDIDATES,
  );
  if (resolution.kind === 'none') return { ...rangeFields(range), ...notFound(resolution) };
  const ids =
    resolution.kind === 'one' ? [resolution.product.id] : resolution.products.map((p) => p.id);
  const report = await ctx.store.productSales(ctx.tenantId, ids, range.from, range.to);
  return { ...rangeFields(range), ...productSalesResult(resolution, report, figures, each) };
}

export const TOOL_HANDLERS: Readonly<Record<string, ToolHandler>> = {
  get_sales_summary: handler(productPeriodArgs, async (ctx, args) => {
    if (args.product) {
      return productFigures(ctx, { ...args, product: args.product }, salesFigures, (p) => ({
        name: p.name,
        units: p.units,
        total: formatMoney(p.revenueCents),
      }));
    }
    const range = toolRange(args, ctx.now, ctx.timeZone);
    const s = await ctx.store.salesSummary(ctx.tenantId, range.from, range.to);
    return {
      ...rangeFields(range),
      ...money('total', s.totalCents),
      tickets: s.tickets,
      items: s.itemsSold,
      ...money('avg_ticket', s.averageTicketCents),
      cost: formatMoney(s.costCents),
    };
  }),

  get_top_products: handler(topProductsArgs, async (ctx, args) => {
    const range = toolRange(args, ctx.now, ctx.timeZone);
    const by = args.by ?? 'units';
    const top = await ctx.store.topProducts(
      ctx.tenantId,
      range.from,
      range.to,
      args.limit ?? DEFAULT_TOP,
      by,
    );
    return {
      ...rangeFields(range),
      by,
      // What each left (and its margin) only where it is the ranking: tokens on every read.
      top: top.map((t) => ({
        name: t.name,
        qty: t.quantity,
        revenue: formatMoney(t.revenueCents),
        ...(by === 'profit'
          ? {
              profit: formatMoney(t.profitCents),
              margin_pct: marginPct(t.profitCents, t.revenueCents),
            }
          : {}),
      })),
    };
  }),

  get_profit: handler(productPeriodArgs, async (ctx, args) => {
    if (args.product) {
      return productFigures(ctx, { ...args, product: args.product }, profitFigures, (p) => ({
        name: p.name,
        revenue: formatMoney(p.revenueCents),
        cost: formatMoney(p.costCents),
        profit: formatMoney(p.profitCents),
        margin_pct: marginPct(p.profitCents, p.revenueCents),
      }));
    }
    const range = toolRange(args, ctx.now, ctx.timeZone);
    const p = await ctx.store.profit(ctx.tenantId, range.from, range.to);
    return {
      ...rangeFields(range),
      ...money('revenue', p.revenueCents),
      ...money('cost', p.costCents),
      ...money('profit', p.profitCents),
      margin_pct: p.marginPct,
    };
  }),

  get_stock: handler(productArgs, async (ctx, args) => {
    const found = await ctx.store.resolveProducts(ctx.tenantId, args.product, PRODUCT_CANDIDATES);
    return productResult(found, (p) => stockFields(p));
  }),

  get_price: handler(productArgs, async (ctx, args) => {
    const found = await ctx.store.resolveProducts(ctx.tenantId, args.product, PRODUCT_CANDIDATES);
    return productResult(found, priceFields);
  }),

  get_low_stock: handler(noArgs, async (ctx) => {
    const low = await ctx.store.lowStock(ctx.tenantId);
    return {
      count: low.length,
      items: low.slice(0, LOW_STOCK_SHOWN).map((p) => stockFields(p, false)),
    };
  }),
};
