import type { Intent, IntentEntities, PeriodEntity } from '../intents';
import type { PeriodName } from '../tools/tool-args';

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

const PERIOD_ARG: Record<string, PeriodName> = {
  today: 'hoy',
  yesterday: 'ayer',
  day_before_yesterday: 'antier',
  this_week: 'esta_semana',
  last_week: 'semana_pasada',
  this_month: 'este_mes',
  last_month: 'mes_pasado',
  this_year: 'este_anio',
};

/** "lo más vendido", "qué producto se vende más", "top": a ranking, not a total. */
const RANKING =
  /\b(top|ranking|lo mas|lo que mas|lo menos|(mas|menos) vendid\w*|que (es lo que )?mas|(se )?vend\w* (mas|menos)|(mas|menos) se vend\w*|que productos?|cual(es)? productos?|mejores productos|deja(n)? mas|dejo mas)\b/;
/** A ranking by what the products left (profit), or by the money they brought in. */
const BY_PROFIT = /\b(dej\w*|ganancia\w*|gane|ganan\w*|utilidad\w*|margen\w*)\b/;
const BY_AMOUNT = /\b(dinero|lana|pesos|plata|ingres\w*|monto|importe|caro)\b/;
/** "¿cuánto me costó lo que vendí?": the cost of what was sold is in the profit read. */
const COST_OF_SALES = /\b(costo|costaron|cost[oó] lo|me costo|inverti\w*)\b/;

/**
 * Words the classifier sometimes takes for a product ("ticket promedio", "piezas") that name
 * a figure, not something on the shelf: such a "product" is no product.
 */
const FIGURE_WORDS = new Set(
  (
    'promedio ticket tickets pieza piezas unidad unidades dinero total totales producto productos ' +
    'venta ventas ganancia ganancias costo costos margen precio precios lana inventario existencia ' +
    'existencias cosa cosas articulo articulos mercancia'
  ).split(' '),
);
const SIZE_UNITS = new Set(
  'l lt lts litro litros ml mililitros g gr grs gramos kg kilo kilos oz onzas'.split(' '),
);
/**
 * Words that end a product phrase in a question: periods, connectors, the verbs around it.
 * A word after the classifier's phrase that is none of these is a variant it dropped
 * ("coca zero", "sabritas adobadas") and is put back.
 */
const PHRASE_END = new Set(
  (
    'hoy ayer antier esta este estos estas la el los las de del al a en me te se le les que y o con ' +
    'sin para por semana mes ano anio pasado pasada quedan queda tengo tenemos hay llevo vendi vendio ' +
    'vendimos vendieron gane gano deja dejo dejaron cuesta cuestan vale valen esta estan cuanto cuanta ' +
    'cuantos cuantas lunes martes miercoles jueves viernes sabado domingo enero febrero marzo abril mayo ' +
    'junio julio agosto septiembre octubre noviembre diciembre porfa favor pues ya no si mas menos bien'
  ).split(' '),
);

/**
 * The tool call a question obviously needs, run before the LLM is called; its result is
 * given to the model as data, so most read questions take one round and no tool definitions.
 * Level 2 answers from the same call when the LLM cannot. Questions with no obvious call get
 * the intent's tools instead.
 */
export function plannedToolCall(
  intent: Intent,
  entities: IntentEntities,
  timeZone: string,
  normalizedText = '',
): PlannedToolCall | null {
  const period = periodArgs(entities.period, timeZone);
  const product = productQuery(entities, normalizedText);
  const withProduct = product ? { ...period, product } : period;
  switch (intent) {
    case 'ventas':
      if (RANKING.test(normalizedText) && !product) {
        return { name: 'get_top_products', args: { ...period, by: rankingBy(normalizedText) } };
      }
      if (COST_OF_SALES.test(normalizedText)) return { name: 'get_profit', args: withProduct };
      return { name: 'get_sales_summary', args: withProduct };
    case 'ganancias':
      if (RANKING.test(normalizedText) && !product) {
        return { name: 'get_top_products', args: { ...period, by: 'profit' } };
      }
      return { name: 'get_profit', args: withProduct };
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

function rankingBy(text: string): 'units' | 'amount' | 'profit' {
  if (BY_PROFIT.test(text)) return 'profit';
  if (BY_AMOUNT.test(text)) return 'amount';
  return 'units';
}

/**
 * The product the question is about, as the owner named it, or undefined for the whole shop.
 * The classifier's phrase loses a size that follows it ("coca 600 ml"); it is put back from
 * the text, so "Coca-Cola 600 ml" is told from "Coca-Cola 2 L".
 */
export function productQuery(entities: IntentEntities, normalizedText: string): string | undefined {
  const raw = entities.product ?? entities.items?.[0]?.product;
  if (!raw) return undefined;
  const words = raw.split(/\s+/).filter((w) => w && !FIGURE_WORDS.has(w));
  if (words.length === 0) return undefined;
  return withTrailingSize(words.join(' '), normalizedText);
}

function withTrailingSize(product: string, text: string): string {
  const tokens = text.split(/\s+/);
  const last = product.split(' ').at(-1) ?? '';
  // The product's last word in the text (singular or plural), then what follows it.
  const at = tokens.findIndex((t) => t === last || t === `${last}s` || t === `${last}es`);
  if (product.split(' ').length > 2) return product;
  if (at < 0) return product;
  const size: string[] = [];
  let i = at + 1;
  if (tokens[i] === 'de' && /^\d/.test(tokens[i + 1] ?? '')) i++;
  if (/^\d+([.,]\d+)?$/.test(tokens[i] ?? '') && !product.includes(tokens[i])) {
    size.push(tokens[i++]);
    if (SIZE_UNITS.has(tokens[i] ?? '')) size.push(tokens[i]);
  } else if (/^[a-zñ]{3,}$/.test(tokens[i] ?? '') && !PHRASE_END.has(tokens[i])) {
    // One variant word the classifier dropped ("coca zero"), never more.
    size.push(tokens[i]);
  }
  return size.length ? `${product} ${size.join(' ')}` : product;
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
