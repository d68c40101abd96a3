import { z } from 'zod';

/** Period names the model (and src/assistant/prefetch.ts) may pass, mapped to resolvePeriod keys. */
export const PERIOD_KEYS = {
  hoy: 'today',
  ayer: 'yesterday',
  antier: 'day_before_yesterday',
  esta_semana: 'this_week',
  semana_pasada: 'last_week',
  este_mes: 'this_month',
  mes_pasado: 'last_month',
  este_anio: 'this_year',
} as const;

export type PeriodName = keyof typeof PERIOD_KEYS;
export const PERIOD_NAMES = Object.keys(PERIOD_KEYS) as [PeriodName, ...PeriodName[]];

/** How a ranking is ordered: units sold, money taken, or what the products left (profit). */
export const TOP_BY = ['units', 'amount', 'profit'] as const;

/** A long range is still one indexed scan, but a year is all an owner ever asks about. */
export const MAX_RANGE_DAYS = 366;

const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'usa el formato YYYY-MM-DD')
  .refine(isCalendarDate, 'fecha inexistente');

const periodFields = {
  period: z.enum(PERIOD_NAMES).optional(),
  from: localDate.optional(),
  to: localDate.optional(),
};

/** A product as the owner named it ("coca light", "la de 2 litros"); matched fuzzily. */
const productName = z.string().trim().min(1).max(80);

interface PeriodFields {
  period?: PeriodName;
  from?: string;
  to?: string;
}

/** Either a named period or both inclusive dates; neither means "hoy". */
function checkPeriod(args: PeriodFields, ctx: z.RefinementCtx): void {
  const hasRange = args.from !== undefined || args.to !== undefined;
  if (args.period !== undefined && hasRange) {
    ctx.addIssue({ code: 'custom', message: 'usa period o from/to, no ambos' });
  } else if (hasRange && (args.from === undefined || args.to === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'from y to van juntos' });
  } else if (args.from !== undefined && args.to !== undefined) {
    const days = dayNumber(args.to) - dayNumber(args.from) + 1;
    if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to es antes de from' });
    else if (days > MAX_RANGE_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `máximo ${MAX_RANGE_DAYS} días` });
    }
  }
}

// Strict objects: an extra key (tenantId, shop…) is an error, never silently honoured.
export const periodArgs = z.strictObject(periodFields).superRefine(checkPeriod);

/** Sales or profit of the shop, or of one product (or a family: "coca") when it is named. */
export const productPeriodArgs = z
  .strictObject({ ...periodFields, product: productName.optional() })
  .superRefine(checkPeriod);

export const topProductsArgs = z
  .strictObject({
    ...periodFields,
    limit: z.number().int().min(1).max(10).optional(),
    by: z.enum(TOP_BY).optional(),
  })
  .superRefine(checkPeriod);

export const productArgs = z.strictObject({ product: productName });

export const noArgs = z.strictObject({});

export type PeriodArgs = z.infer<typeof periodArgs>;

/** Days since the epoch of a YYYY-MM-DD date (calendar arithmetic only, no zone). */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
}

function isCalendarDate(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number);
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}
