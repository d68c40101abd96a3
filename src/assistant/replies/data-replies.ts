import { formatInt } from '../../common/money';

/**
 * The shop's data in plain Spanish, without an LLM (level 2). Each function takes what the
 * read tool returned for the planned call (src/tools/tool-results.ts shapes) and the period
 * as the owner said it. Only figures the tool returned are quoted: nothing is computed here
 * that the database did not compute.
 */

type Data = Record<string, unknown>;

const MAX_LISTED = 5;

const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const list = (v: unknown): Data[] => (Array.isArray(v) ? (v as Data[]) : []);

function pieces(n: number): string {
  return n === 1 ? '1 pieza' : `${formatInt(n)} piezas`;
}

function tickets(n: number): string {
  return n === 1 ? '1 venta' : `${formatInt(n)} ventas`;
}

/** "A, B y C". */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} y ${names[names.length - 1]}`;
}

function margin(v: unknown): string {
  return typeof v === 'number' ? ` (margen ${v.toLocaleString('es-MX')} %)` : '';
}

/** "No encontré «pepsi» en tu catálogo. ¿Será Pepsi Light?" */
function notFound(query: string, data: Data): string {
  const suggestions = list(data.suggestions).map(str);
  const hint = suggestions.length ? ` ¿Será ${joinNames(suggestions)}?` : '';
  return `No encontré «${query}» en tu catálogo, así que no te doy cifras de toda la tienda.${hint}`;
}

/** Capitalized for the start of a sentence: "Hoy", "El sábado", "Octubre". */
function cap(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}

export function salesReply(data: Data, label: string, query?: string): string {
  if (data.found === false) return notFound(query ?? '', data);
  if (typeof data.product === 'string') {
    return `De ${data.product} ${label} vendiste ${pieces(num(data.units))}: ${str(data.total)} en ${tickets(num(data.tickets))}.`;
  }
  if (Array.isArray(data.matched)) {
    const all = (data.all ?? {}) as Data;
    const each = list(data.each)
      .slice(0, MAX_LISTED)
      .map((p) => `• ${str(p.name)}: ${pieces(num(p.units))}, ${str(p.total)}`);
    return [
      `Sumé ${joinNames(list(data.matched).map(str))}: ${label} vendiste ${pieces(num(all.units))} por ${str(all.total)} en ${tickets(num(all.tickets))}.`,
      ...each,
    ].join('\n');
  }
  const avg = num(data.tickets) > 0 ? `; ticket promedio ${str(data.avg_ticket)}` : '';
  return `${cap(label)} llevas ${str(data.total)} en ${tickets(num(data.tickets))} (${pieces(num(data.items))}${avg}).`;
}

export function profitReply(data: Data, label: string, query?: string): string {
  if (data.found === false) return notFound(query ?? '', data);
  const sentence = (d: Data) =>
    `vendiste ${str(d.revenue)}, te costó ${str(d.cost)} y te dejó ${str(d.profit)}${margin(d.margin_pct)}`;
  if (typeof data.product === 'string') return `${data.product} ${label}: ${sentence(data)}.`;
  if (Array.isArray(data.matched)) {
    const each = list(data.each)
      .slice(0, MAX_LISTED)
      .map((p) => `• ${str(p.name)}: te dejó ${str(p.profit)} de ${str(p.revenue)}`);
    return [
      `Sumé ${joinNames(list(data.matched).map(str))}: ${label} ${sentence((data.all ?? {}) as Data)}.`,
      ...each,
    ].join('\n');
  }
  const pct =
    typeof data.margin_pct === 'number'
      ? `, margen ${data.margin_pct.toLocaleString('es-MX')} %`
      : '';
  return `${cap(label)} llevas ${str(data.profit)} de ganancia sobre ${str(data.revenue)} vendidos (costo de lo vendido ${str(data.cost)}${pct}).`;
}

export function topReply(data: Data, label: string): string {
  const top = list(data.top);
  if (top.length === 0) return `${cap(label)} no hubo ventas.`;
  const by = str(data.by);
  const head =
    by === 'profit'
      ? `Lo que más te dejó ${label}:`
      : by === 'amount'
        ? `Lo que más dinero te dio ${label}:`
        : `Lo más vendido ${label}:`;
  const rows = top.map((t, i) => {
    const figure =
      by === 'profit'
        ? `${str(t.profit)} de ganancia (${pieces(num(t.qty))})`
        : `${pieces(num(t.qty))}, ${str(t.revenue)}`;
    return `${i + 1}. ${str(t.name)}: ${figure}`;
  });
  return [head, ...rows].join('\n');
}

export function stockReply(data: Data, query: string): string {
  const line = (p: Data) => {
    const low = num(p.stock) <= num(p.min) ? ' ⚠️ ya toca surtir' : '';
    return `${str(p.name)}: te quedan ${formatInt(num(p.stock))} ${str(p.unit)} (mínimo ${formatInt(num(p.min))})${low}`;
  };
  if (data.found === false) return notFound(query, data);
  if (data.ambiguous)
    return list(data.candidates)
      .map((p) => `• ${line(p)}`)
      .join('\n');
  return `${line((data.product ?? {}) as Data)}.`;
}

export function priceReply(data: Data, query: string): string {
  const line = (p: Data) => `${str(p.name)} está a ${str(p.price)} (te cuesta ${str(p.cost)})`;
  if (data.found === false) return notFound(query, data);
  if (data.ambiguous)
    return list(data.candidates)
      .map((p) => `• ${line(p)}`)
      .join('\n');
  return `${line((data.product ?? {}) as Data)}.`;
}

export function lowStockReply(data: Data): string {
  const items = list(data.items);
  if (items.length === 0) return 'Ningún producto está en su mínimo de inventario. 👍';
  const lines = items
    .slice(0, MAX_LISTED)
    .map(
      (p) =>
        `• ${str(p.name)}: quedan ${formatInt(num(p.stock))} (mínimo ${formatInt(num(p.min))})`,
    );
  const more =
    num(data.count) > MAX_LISTED ? `\n…y ${formatInt(num(data.count) - MAX_LISTED)} más.` : '';
  return `Por surtir:\n${lines.join('\n')}${more}`;
}
