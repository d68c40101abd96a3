import type { Intent, IntentEntities, PeriodEntity } from '../intents';

/** Intents about the shop's data: their obvious tool call is run before the model is. */
export const DATA_INTENTS: ReadonlySet<Intent> = new Set([
  'ventas',
  'inventario',
  'ganancias',
  'precios',
]);

export interface PlannedToolCall {
  name: string;
  args: Record<string, unknown>;
}

const PERIOD_ARG: Record<string, string> = {
  today: 'hoy',
  yesterday: 'ayer',
  this_week: 'esta_semana',
  last_week: 'semana_pasada',
  this_month: 'este_mes',
  last_month: 'mes_pasado',
};

/** "lo más vendido", "qué se vende más", "top": a ranking, not a total. */
const RANKING = /\b(mas vendid\w*|top|lo que mas|que (es lo que )?mas|se vende mas|mas se vende)\b/;

/**
 * The tool call a question obviously needs, run before the LLM is called; its result is
 * given to the model as data, so most read questions take one round and no tool definitions.
 * Questions with no obvious call (or whose call fails) get the intent's tools instead.
 */
export function plannedToolCall(
  intent: Intent,
  entities: IntentEntities,
  timeZone: string,
  normalizedText = '',
): PlannedToolCall | null {
  const period = periodArgs(entities.period, timeZone);
  const product = entities.product ?? entities.items?.[0]?.product;
  switch (intent) {
    // "¿cuánto vendí de coca?" is about one product: the model picks the tools for that.
    case 'ventas':
      if (RANKING.test(normalizedText)) return { name: 'get_top_products', args: period };
      return product ? null : { name: 'get_sales_summary', args: period };
    case 'ganancias':
      return product ? null : { name: 'get_profit', args: period };
    case 'inventario':
      return product
        ? { name: 'get_stock', args: { product } }
        : { name: 'get_low_stock', args: {} };
    case 'precios':
      return product ? { name: 'get_price', args: { product } } : null;
    default:
      return null;
  }
}

function periodArgs(period: PeriodEntity | undefined, timeZone: string): Record<string, unknown> {
  if (!period) return { period: 'hoy' };
  const named = PERIOD_ARG[period.key];
  if (named) return { period: named };
  // Other ranges ("el sábado", "octubre") as inclusive local dates.
  const lastDay = new Date(period.to.getTime() - 1);
  return { from: localDate(period.from, timeZone), to: localDate(lastDay, timeZone) };
}

function localDate(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** How prefetched data is shown to the model: which call produced it, then its JSON. */
export function dataLine(name: string, args: Record<string, unknown>, content: string): string {
  return `Datos (${name} ${JSON.stringify(args)}): ${content}`;
}
