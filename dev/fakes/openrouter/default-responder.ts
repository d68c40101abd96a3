import { textOf } from './usage';
import type {
  FakeAnswer,
  FakeToolCall,
  JsonSchemaLike,
  RecordedRequest,
  WireMessage,
  WireTool,
} from './types';

/**
 * The fake's "model" for simulators and demos: deterministic, keyword-driven, Spanish.
 * - user spoke last and tools are offered → call the most plausible offered tool;
 * - tool results came last → a short answer built from their JSON;
 * - no tools offered but the system prompt carries data ("Datos (tool {args}): {json}") → a
 *   short answer built from that data;
 * - otherwise → a short reply.
 * It only ever calls tools that the request offered, with arguments fitted to their schema.
 */
export function defaultResponder(request: RecordedRequest): FakeAnswer {
  const messages = request.body?.messages ?? [];
  const last = messages.at(-1);
  if (!last) return { content: 'Hola, ¿en qué te ayudo?' };
  if (isJsonMode(request)) return { content: labelFor(normalise(textOf(last.content))) };
  if (last.role === 'tool') return { content: answerFromToolResults(messages) };
  const text = normalise(textOf(last.content));
  const tools = request.body?.tools ?? [];
  const data = dataInSystemPrompt(messages);
  if (last.role === 'user' && tools.length === 0 && data) {
    return { content: sentenceFor(data.name, data.json) };
  }
  if (last.role === 'user' && tools.length > 0) {
    const call = pickToolCall(text, tools);
    if (call) return { toolCalls: [call] };
  }
  return { content: smallTalk(text) };
}

function isJsonMode(request: RecordedRequest): boolean {
  const format = request.body?.response_format as { type?: string } | undefined;
  return format?.type === 'json_object';
}

/**
 * A classification asked in JSON mode: the label a keyword reading gives, as JSON
 * ({"intent":"ventas","confidence":0.8}), the way a model told to answer only JSON does.
 */
function labelFor(text: string): string {
  const byTopic: Record<Topic, string> = {
    price: 'precios',
    profit: 'ganancias',
    low_stock: 'inventario',
    stock: 'inventario',
    sales: 'ventas',
  };
  // "me costó lo que vendí" is about what was sold.
  const topic = /\b(costo|costaron)\b/.test(text)
    ? 'sales'
    : TOPICS.find(({ pattern }) => pattern.test(text))?.topic;
  return JSON.stringify({ intent: topic ? byTopic[topic] : 'otro', confidence: 0.8 });
}

/** Lower case, no accents, single spaces: how people type on phones varies, keywords do not. */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9ñ\s]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

type Topic = 'price' | 'profit' | 'low_stock' | 'stock' | 'sales';

/** Checked in order: "a cómo tengo" is a price question, "cuánto gané" is not about sales. */
const TOPICS: { topic: Topic; pattern: RegExp }[] = [
  { topic: 'price', pattern: /\b(precio|precios|a como|cuesta|cuestan|vale|valen)\b/ },
  { topic: 'profit', pattern: /\b(gane|ganamos|ganancia|ganancias|utilidad|margen|deja)\b/ },
  { topic: 'low_stock', pattern: /\b(falta|faltan|surtir|acaba|acaban|acabando|resurtir)\b/ },
  { topic: 'stock', pattern: /\b(queda|quedan|stock|inventario|existencia|existencias|hay)\b/ },
  { topic: 'sales', pattern: /\b(vendi|vendimos|venta|ventas|vendido|bentas|vendio)\b/ },
];

/** Tool-name preferences per topic: exact names first, then any offered name containing the key. */
const TOOL_NAMES: Record<Topic, { exact: string[]; contains: string; excludes?: string }> = {
  price: { exact: ['get_price'], contains: 'price' },
  profit: { exact: ['get_profit'], contains: 'profit' },
  low_stock: { exact: ['get_low_stock'], contains: 'low_stock' },
  stock: { exact: ['get_stock'], contains: 'stock', excludes: 'low' },
  sales: { exact: ['get_sales_summary'], contains: 'sales' },
};

const STOPWORDS = new Set(
  (
    'a al como con cuanto cuanta cuantos cuantas de del el en es esta este hoy la las le lo los me ' +
    'mi mis mucho muy no o oye para por que q se si su sus te tengo tenemos un una unos unas y ya ' +
    'cual cuales dime oiga oye porfa favor pues semana mes ayer'
  ).split(' '),
);

export function pickToolCall(text: string, tools: WireTool[]): FakeToolCall | undefined {
  const offered = tools
    .map((t) => t.function)
    .filter((f): f is NonNullable<WireTool['function']> & { name: string } => !!f?.name);
  for (const { topic, pattern } of TOPICS) {
    if (!pattern.test(text)) continue;
    let tool = findTool(offered, topic);
    // Asked about stock without naming a product, or no single-product tool: what runs low.
    if (!tool && topic === 'stock') tool = findTool(offered, 'low_stock');
    if (tool) return { name: tool.name, arguments: argumentsFor(tool.parameters, topic, text) };
  }
  return undefined;
}

function findTool<T extends { name: string }>(offered: T[], topic: Topic): T | undefined {
  const pref = TOOL_NAMES[topic];
  return (
    offered.find((t) => pref.exact.includes(t.name)) ??
    offered.find(
      (t) => t.name.includes(pref.contains) && !(pref.excludes && t.name.includes(pref.excludes)),
    )
  );
}

function argumentsFor(
  schema: JsonSchemaLike | undefined,
  topic: Topic,
  text: string,
): Record<string, unknown> {
  const period = periodOf(text);
  const product = productOf(text);
  const properties = schema?.properties;
  if (!properties || Object.keys(properties).length === 0) {
    // No schema to fit: the arguments the documented tools take.
    if (topic === 'sales' || topic === 'profit') return { period };
    if ((topic === 'price' || topic === 'stock') && product) return { product };
    return {};
  }
  const args: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(properties)) {
    if (/period|periodo|range|rango/i.test(name)) {
      args[name] = fitEnum(prop, period);
    } else if (/product|producto|query|name|nombre|search|item/i.test(name) && product) {
      args[name] = product;
    }
  }
  return args;
}

const PERIOD_SYNONYMS: Record<string, string[]> = {
  hoy: ['hoy', 'today', 'day', 'dia'],
  ayer: ['ayer', 'yesterday'],
  semana: ['semana', 'week', 'this_week', 'esta_semana'],
  mes: ['mes', 'month', 'this_month', 'este_mes'],
};

function periodOf(text: string): string {
  if (/\bayer\b/.test(text)) return 'ayer';
  if (/\bsemana\b/.test(text)) return 'semana';
  if (/\bmes\b/.test(text)) return 'mes';
  return 'hoy';
}

/** Picks the enum value meaning `period` when the schema restricts it (e.g. "today"). */
function fitEnum(prop: JsonSchemaLike, period: string): unknown {
  const values = prop.enum;
  if (!values || values.length === 0 || values.includes(period)) return period;
  const synonyms = PERIOD_SYNONYMS[period] ?? [period];
  return (
    values.find((v) => typeof v === 'string' && synonyms.includes(v.toLowerCase())) ?? values[0]
  );
}

/** The first word that is not a stopword or a keyword, singularised ("cocas" → "coca"). */
export function productOf(text: string): string | undefined {
  const word = text
    .split(' ')
    .filter((w) => w.length > 2 && !/^\d+$/.test(w))
    .find((w) => !STOPWORDS.has(w) && !TOPICS.some(({ pattern }) => pattern.test(w)));
  if (!word) return undefined;
  return word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word;
}

function smallTalk(text: string): string {
  if (/\b(hola|buenos|buenas|que onda|quiubo)\b/.test(text)) {
    return '¡Hola! Soy tu asistente del changarro. Pregúntame por tus ventas, tu inventario o tus ganancias.';
  }
  if (/\bgracias\b/.test(text)) return '¡Con gusto! Aquí estoy para lo que necesites.';
  return 'Entendido. Te puedo ayudar con tus ventas, inventario, precios y ganancias.';
}

/** Data the caller fetched before asking: `Datos (get_sales_summary {…}): {json}`. */
function dataInSystemPrompt(messages: WireMessage[]): { name: string; json: string } | undefined {
  const system = messages.find((m) => m.role === 'system');
  const match = /^Datos \((\w+)[^)]*\): (.*)$/m.exec(textOf(system?.content));
  return match ? { name: match[1]!, json: match[2]! } : undefined;
}

/** One sentence per tool result that followed the last assistant tool call. */
export function answerFromToolResults(messages: WireMessage[]): string {
  let callerIndex = messages.length - 1;
  while (callerIndex >= 0 && messages[callerIndex]!.role === 'tool') callerIndex--;
  const caller = messages[callerIndex];
  const results = messages.slice(callerIndex + 1);
  const sentences = results.map((m) => {
    const name = caller?.tool_calls?.find((c) => c.id === m.tool_call_id)?.function?.name ?? '';
    return sentenceFor(name, textOf(m.content));
  });
  return sentences.join(' ');
}

function sentenceFor(toolName: string, raw: string): string {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return `Esto encontré: ${raw.slice(0, 200)}`;
  }
  if (Array.isArray(data)) data = { items: data };
  if (!isRecord(data)) return `Esto encontré: ${String(data)}`;
  if (typeof data.error === 'string') return `No pude consultarlo: ${data.error}`;
  if (data.found === false) return 'No encontré ese producto en tu catálogo.';

  const total = field(data, ['totalFormatted', 'formatted', 'total']);
  const name = field(data, ['name', 'productName', 'product', 'nombre']);
  if (toolName.includes('sales')) {
    const count = field(data, ['count', 'salesCount', 'tickets']);
    return `Llevas ${total ?? '$0.00'} en ventas${count !== undefined ? ` (${count} ventas)` : ''}.`;
  }
  if (toolName.includes('profit')) {
    const profit = field(data, ['profitFormatted', 'totalFormatted', 'profit', 'total']);
    return `Tu ganancia es de ${profit ?? '$0.00'}.`;
  }
  if (toolName.includes('price')) {
    const price = field(data, ['priceFormatted', 'price', 'precio']);
    return `${name ?? 'Ese producto'} está a ${price ?? 'un precio que no encontré'}.`;
  }
  if (toolName.includes('top')) {
    const items = findArray(data);
    if (!items || items.length === 0) return 'No hubo ventas en ese periodo.';
    const names = items.slice(0, 3).map((i) => (isRecord(i) ? (field(i, ['name']) ?? '?') : i));
    return `Lo más vendido: ${names.join(', ')}.`;
  }
  if (toolName.includes('low_stock')) {
    const items = findArray(data);
    if (!items || items.length === 0) return 'No hay productos por acabarse.';
    const names = items.slice(0, 5).map((i) => (isRecord(i) ? (field(i, ['name']) ?? '?') : i));
    return `Se te está acabando: ${names.join(', ')}.`;
  }
  if (toolName.includes('stock')) {
    const stock = field(data, ['stock', 'quantity', 'existencia']);
    return `Te quedan ${stock ?? 0} de ${name ?? 'ese producto'}.`;
  }
  if (total !== undefined) return `El total es ${total}.`;
  const scalars = Object.entries(data)
    .filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
    .slice(0, 3)
    .map(([k, v]) => `${k}: ${String(v)}`);
  return scalars.length > 0 ? `Listo. ${scalars.join(', ')}.` : 'Listo.';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** First of `keys` holding a scalar, looking one level into nested objects too. */
function field(data: Record<string, unknown>, keys: string[], depth = 1): string | undefined {
  for (const k of keys) {
    const v = data[k];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  if (depth === 0) return undefined;
  for (const v of Object.values(data)) {
    if (isRecord(v)) {
      const found = field(v, keys, depth - 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function findArray(data: Record<string, unknown>): unknown[] | undefined {
  for (const k of ['items', 'products', 'lowStock', 'data']) {
    const v = data[k];
    if (Array.isArray(v)) return v;
  }
  return Object.values(data).find((v): v is unknown[] => Array.isArray(v));
}
