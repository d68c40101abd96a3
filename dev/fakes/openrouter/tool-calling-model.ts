import { answerFromToolResults, defaultResponder, normalise } from './default-responder';
import type { FakeAnswer, FakeToolCall, JsonSchemaLike, RecordedRequest, WireTool } from './types';
import { textOf } from './usage';

/**
 * A fake model that reads the question the way a competent model would and calls the shop's
 * read tools with the arguments it implies: the metric (sales, profit, ranking, stock,
 * price, what to restock), the product as the owner named it, and the period, with dates
 * worked out from the "Hoy: …" line of the system prompt ("el sábado", "octubre", "del 1 al
 * 15 de noviembre"). It only calls tools the request offered, with only the properties
 * their schemas declare. With the data already in the prompt it answers from that data; with
 * tool results it answers from them.
 *
 * `llm.setDefault(toolCallingModel)` in a test makes the fake OpenRouter behave like it.
 */
export function toolCallingModel(request: RecordedRequest): FakeAnswer {
  const messages = request.body?.messages ?? [];
  const last = messages.at(-1);
  if (!last) return { content: 'Hola, ¿en qué te ayudo?' };
  // A classification in JSON mode is not a question to call tools for.
  if ((request.body?.response_format as { type?: string } | undefined)?.type === 'json_object') {
    return defaultResponder(request);
  }
  if (last.role === 'tool') return { content: answerFromToolResults(messages) };
  const system = textOf(messages.find((m) => m.role === 'system')?.content);
  const data = /^Datos \((\w+)[^)]*\): (.*)$/m.exec(system);
  const tools = request.body?.tools ?? [];
  if (last.role === 'user' && tools.length > 0) {
    const call = callFor(normalise(textOf(last.content)), tools, todayOf(system));
    if (call) return { toolCalls: [call] };
  }
  if (data) return { content: answerFromData(data[2]!) };
  return { content: 'Te puedo ayudar con tus ventas, ganancias, inventario y precios.' };
}

type Metric = 'price' | 'low_stock' | 'stock' | 'top' | 'profit' | 'sales';

const METRICS: { metric: Metric; tool: string; pattern: RegExp }[] = [
  { metric: 'price', tool: 'get_price', pattern: /\b(precio|a como|cuesta|cuestan|vale|valen)\b/ },
  {
    metric: 'low_stock',
    tool: 'get_low_stock',
    pattern: /\b(surtir|resurtir|falta|faltan|pedir|reordenar|acabando|se me acaba)\b/,
  },
  {
    metric: 'top',
    tool: 'get_top_products',
    pattern:
      /\b(lo mas|lo que mas|mas vendid\w*|top|ranking|que producto|cual producto|deja mas|dejo mas|dejaron mas)\b/,
  },
  {
    metric: 'profit',
    tool: 'get_profit',
    pattern: /\b(gane|ganancia\w*|utilidad\w*|margen|deja|dejo|dejan|costo|costaron)\b/,
  },
  {
    metric: 'stock',
    tool: 'get_stock',
    pattern: /\b(quedan|queda|inventario|existencia\w*|stock|tengo|hay)\b/,
  },
  {
    metric: 'sales',
    tool: 'get_sales_summary',
    pattern: /\b(vend\w*|venta\w*|tickets?|ingres\w*|piezas|unidades|promedio)\b/,
  },
];

/** Words that are never part of a product's name in a question. */
const NOISE = new Set(
  (
    'a al como con cual cuales cuanta cuantas cuanto cuantos de del el en es esta este hoy ayer antier ' +
    'la las le lo los me mi mis muy o para por que q se si su sus te tengo tenemos un una unos unas y ya ' +
    'dime oye porfa favor pues semana mes ano anio pasado pasada mas menos hice hizo llevo llevamos ' +
    'total dinero lana precio precios cuesta cuestan vale valen queda quedan inventario existencias ' +
    'stock vendi vendio vendimos vendieron vendido vendida vendidos ventas venta tickets ticket piezas ' +
    'unidades promedio gane ganancia ganancias utilidad margen deja dejo dejan dejaron costo costaron ' +
    'surtir resurtir falta faltan pedir producto productos top ranking dia dias lunes martes miercoles ' +
    'jueves viernes sabado domingo enero febrero marzo abril mayo junio julio agosto septiembre ' +
    'octubre noviembre diciembre tuve tengo hay fue han ha mucho muchos cosas desde hasta'
  ).split(' '),
);
const SIZE_UNITS = new Set('l lt lts litro litros ml g gr gramos kg kilo kilos'.split(' '));
const WEEKDAYS = ['domingo', 'lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'sabado'];
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

function callFor(
  text: string,
  tools: WireTool[],
  today: LocalDay | null,
): FakeToolCall | undefined {
  const offered = new Map(
    tools.flatMap((t) => (t.function?.name ? [[t.function.name, t.function.parameters]] : [])),
  );
  const product = productIn(text);
  for (const { metric, tool, pattern } of METRICS) {
    if (!pattern.test(text)) continue;
    // A ranking needs no product; a stock question without one is "what runs low".
    let name = tool;
    if (metric === 'stock' && !product) name = 'get_low_stock';
    if (metric === 'top' && product)
      name = /gan|deja|dejo|margen/.test(text) ? 'get_profit' : 'get_sales_summary';
    if (!offered.has(name)) continue;
    const args = fit(offered.get(name), {
      ...periodIn(text, today, offered.get(name)),
      product,
      by: /\b(deja\w*|dejo|ganancia\w*|gane|margen)\b/.test(text)
        ? 'profit'
        : /\b(dinero|lana|pesos|ingres\w*)\b/.test(text)
          ? 'amount'
          : 'units',
    });
    if ((name === 'get_stock' || name === 'get_price') && !args.product) continue;
    return { name, arguments: args };
  }
  return undefined;
}

/** Only what the tool's schema declares, and enum values it accepts. */
function fit(
  schema: JsonSchemaLike | undefined,
  wanted: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema?.properties ?? {})) {
    const value = wanted[key];
    if (value === undefined) continue;
    if (prop.enum && !prop.enum.includes(value)) continue;
    out[key] = value;
  }
  return out;
}

/** The first run of words that are not question words, verbs, periods or metrics. */
function productIn(text: string): string | undefined {
  const words = text.split(' ').filter(Boolean);
  const run: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const content = !NOISE.has(w) && !/^\d+$/.test(w);
    if (content) {
      run.push(w);
      continue;
    }
    if (run.length === 0) continue;
    // Sizes and "de 2 litros" stay with the product they follow.
    if (/^\d+$/.test(w) || SIZE_UNITS.has(w)) {
      run.push(w);
      continue;
    }
    // "coca de 2 litros", "sabritas de queso": "de" joins what still names the product.
    const next = words[i + 1] ?? '';
    if (w === 'de' && (/^\d+$/.test(next) || (next !== '' && !NOISE.has(next)))) {
      run.push(w);
      continue;
    }
    break;
  }
  while (run.length && (NOISE.has(run.at(-1)!) || run.at(-1) === 'de')) run.pop();
  return run.length ? run.join(' ') : undefined;
}

interface LocalDay {
  y: number;
  m: number;
  d: number;
}

/** "Hoy: miércoles, 25 de noviembre de 2026, …" → the shop's local date. */
function todayOf(system: string): LocalDay | null {
  const m = /Hoy: [^,]+, (\d{1,2}) de ([a-záéíóú]+) de (\d{4})/i.exec(system);
  if (!m) return null;
  const month = MONTHS.indexOf(normalise(m[2]!)) + 1;
  return month > 0 ? { y: Number(m[3]), m: month, d: Number(m[1]) } : null;
}

function iso(day: LocalDay, plusDays = 0): string {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d + plusDays));
  return t.toISOString().slice(0, 10);
}

function weekday(day: LocalDay): number {
  return new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay();
}

/**
 * The period a question names, as the tool takes it: by name when its schema offers that
 * name, else as the dates it means.
 */
function periodIn(
  text: string,
  today: LocalDay | null,
  schema?: JsonSchemaLike,
): Record<string, string> {
  const named = namedPeriodIn(text, today);
  const offered = schema?.properties?.period?.enum;
  if (!named.period || !offered || offered.includes(named.period) || !today) return named;
  const days: Record<string, [number, number]> = { antier: [-2, -2], hoy: [0, 0], ayer: [-1, -1] };
  const span = days[named.period];
  return span ? { from: iso(today, span[0]), to: iso(today, span[1]) } : named;
}

function namedPeriodIn(text: string, today: LocalDay | null): Record<string, string> {
  if (/\bantier\b/.test(text)) return { period: 'antier' };
  if (/\bayer\b/.test(text)) return { period: 'ayer' };
  if (/\bsemana pasada\b/.test(text)) return { period: 'semana_pasada' };
  if (/\b(esta|la) semana\b/.test(text)) return { period: 'esta_semana' };
  if (/\bmes pasado\b/.test(text)) return { period: 'mes_pasado' };
  if (/\beste mes\b/.test(text)) return { period: 'este_mes' };
  if (/\beste (ano|anio)\b/.test(text)) return { period: 'este_anio' };
  if (today) {
    const range = /\bdel (\d{1,2}) al (\d{1,2}) de (\w+)\b/.exec(text);
    if (range && MONTHS.includes(range[3]!)) {
      const month = MONTHS.indexOf(range[3]!) + 1;
      const year = month > today.m ? today.y - 1 : today.y;
      const pad = (n: string) => n.padStart(2, '0');
      return {
        from: `${year}-${pad(String(month))}-${pad(range[1]!)}`,
        to: `${year}-${pad(String(month))}-${pad(range[2]!)}`,
      };
    }
    const single = /\b(?:el|del) (\d{1,2}) de (\w+)\b/.exec(text);
    if (single && MONTHS.includes(single[2]!)) {
      const month = MONTHS.indexOf(single[2]!) + 1;
      const year = month > today.m ? today.y - 1 : today.y;
      const date = iso({ y: year, m: month, d: Number(single[1]) });
      return { from: date, to: date };
    }
    const day = WEEKDAYS.findIndex((w) => new RegExp(`\\b${w}\\b`).test(text));
    if (day >= 0) {
      let back = (weekday(today) - day + 7) % 7;
      if (/\bpasado\b/.test(text) && back === 0) back = 7;
      const date = iso(today, -back);
      // "desde el lunes": from that day through today.
      return { from: date, to: /\bdesde\b/.test(text) ? iso(today) : date };
    }
    const month = MONTHS.findIndex((w) => new RegExp(`\\b${w}\\b`).test(text)) + 1;
    if (month > 0) {
      const year = month > today.m ? today.y - 1 : today.y;
      const first = { y: year, m: month, d: 1 };
      const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
      return { from: iso(first), to: iso({ y: year, m: month, d: last }) };
    }
  }
  return { period: 'hoy' };
}

/** A short answer quoting the figures of prefetched data (names, money, counts). */
function answerFromData(json: string): string {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return `Esto encontré: ${json.slice(0, 200)}`;
  }
  const facts: string[] = [];
  const walk = (v: unknown, key = '') => {
    if (facts.length >= 12) return;
    if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) if (!k.endsWith('_cents')) walk(x, k);
    } else if (typeof v === 'string' && (v.startsWith('$') || /name|product|matched/.test(key))) {
      facts.push(v);
    } else if (typeof v === 'number' && /units|qty|stock|tickets|items/.test(key)) {
      facts.push(`${key} ${v}`);
    } else if (v === false && key === 'found') {
      facts.push('no encontré ese producto');
    }
  };
  walk(data);
  return facts.length ? `Según tus datos: ${facts.join(', ')}.` : 'No hay datos para eso.';
}
