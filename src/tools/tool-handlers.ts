import type { z } from 'zod';
import type { StoreService } from '../store';
import { noArgs, periodArgs, productArgs, topProductsArgs } from './tool-args';
import { toolRange } from './tool-period';
import { money, priceFields, productResult, rangeFields, stockFields } from './tool-results';

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
const PRODUCT_CANDIDATES = 6;

export const TOOL_HANDLERS: Readonly<Record<string, ToolHandler>> = {
  get_sales_summary: handler(periodArgs, async (ctx, args) => {
    const range = toolRange(args, ctx.now, ctx.timeZone);
    const s = await ctx.store.salesSummary(ctx.tenantId, range.from, range.to);
    return {
      ...rangeFields(range),
      ...money('total', s.totalCents),
      tickets: s.tickets,
      items: s.itemsSold,
      ...money('avg_ticket', s.averageTicketCents),
    };
  }),

  get_top_products: handler(topProductsArgs, async (ctx, args) => {
    const range = toolRange(args, ctx.now, ctx.timeZone);
    const top = await ctx.store.topProducts(
      ctx.tenantId,
      range.from,
      range.to,
      args.limit ?? DEFAULT_TOP,
    );
    return {
      ...rangeFields(range),
      top: top.map((t) => ({ name: t.name, qty: t.quantity, ...money('revenue', t.revenueCents) })),
    };
  }),

  get_profit: handler(periodArgs, async (ctx, args) => {
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
    const found = await ctx.store.lookupProducts(ctx.tenantId, args.product, PRODUCT_CANDIDATES);
    return productResult(found, (p) => stockFields(p));
  }),

  get_price: handler(productArgs, async (ctx, args) => {
    const found = await ctx.store.lookupProducts(ctx.tenantId, args.product, PRODUCT_CANDIDATES);
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
