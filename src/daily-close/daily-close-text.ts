import { formatInt, formatMoney } from '../common/money';
import { localDateOf, startOfLocalDay } from '../intents/time-zone';
import { MONTHS } from '../intents/period-words';

/** The day's figures, as the store and the ledger report them. */
export interface DailyCloseFigures {
  /** Shop-local day, YYYY-MM-DD. */
  day: string;
  salesCents: number;
  tickets: number;
  profitCents: number;
  /** Best sellers of the day by units, at most 3. */
  top: { name: string; quantity: number }[];
  /** Products at or below their minimum, the emptiest first. */
  reorder: { name: string; stock: number }[];
  tokensLeft: number;
}

/** At most this many products are named under "Por surtir". */
export const REORDER_SHOWN = 5;

/** "3 de diciembre" for 2026-12-03. */
export function dayLabel(day: string): string {
  const [, month, date] = day.split('-').map(Number);
  return `${date} de ${MONTHS[month - 1]}`;
}

export function topLine(top: DailyCloseFigures['top']): string {
  if (top.length === 0) return 'sin ventas';
  return top.map((p) => `${p.name} (${formatInt(p.quantity)})`).join(', ');
}

export function reorderLine(reorder: DailyCloseFigures['reorder']): string {
  if (reorder.length === 0) return 'nada por ahora';
  const shown = reorder
    .slice(0, REORDER_SHOWN)
    .map((p) => `${p.name} (quedan ${formatInt(p.stock)})`)
    .join(', ');
  const more = reorder.length - REORDER_SHOWN;
  return more > 0 ? `${shown} y ${more} más` : shown;
}

function ticketsText(n: number): string {
  return `${formatInt(n)} ${n === 1 ? 'ticket' : 'tickets'}`;
}

/** The free-form message (inside the 24-hour window): a fixed template, no LLM. */
export function dailyCloseText(f: DailyCloseFigures): string {
  return [
    `📊 *Cierre del día* (${dayLabel(f.day)})`,
    `💰 Ventas: ${formatMoney(f.salesCents)} en ${ticketsText(f.tickets)}`,
    `📈 Ganancia: ${formatMoney(f.profitCents)}`,
    `🏆 Lo más vendido: ${topLine(f.top)}`,
    `📦 Por surtir: ${reorderLine(f.reorder)}`,
    `🪙 Te quedan ${formatInt(f.tokensLeft)} tokens.`,
    '',
    'Para dejar de recibirlo escribe «quitar cierre diario».',
  ].join('\n');
}

/**
 * The approved template's body parameters, in order: {{1}} day, {{2}} sales, {{3}} tickets,
 * {{4}} profit, {{5}} best sellers, {{6}} to reorder, {{7}} tokens left. The template text
 * (approved in Meta's WhatsApp Manager) must use them in this order.
 */
export function dailyCloseParameters(f: DailyCloseFigures): string[] {
  return [
    dayLabel(f.day),
    formatMoney(f.salesCents),
    formatInt(f.tickets),
    formatMoney(f.profitCents),
    topLine(f.top),
    reorderLine(f.reorder),
    formatInt(f.tokensLeft),
  ];
}

/** YYYY-MM-DD of a local date. */
function isoDay(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * The shop-local day whose close is due at `nowMs` (its local close time has passed), or
 * null before the close time. A close not sent by midnight (workers down all evening) is
 * not sent the next day: it would describe a day the owner has already left behind.
 */
export function dueDay(nowMs: number, timeZone: string, closeTime: string): string | null {
  const d = localDateOf(nowMs, timeZone);
  const [hours, minutes] = closeTime.split(':').map(Number);
  const midnight = startOfLocalDay(d.year, d.month, d.day, timeZone);
  const dueAt = midnight + (hours * 60 + minutes) * 60_000;
  return nowMs >= dueAt ? isoDay(d.year, d.month, d.day) : null;
}

/** [from, to) UTC instants of a shop-local day. */
export function dayBounds(day: string, timeZone: string): { from: Date; to: Date } {
  const [y, m, d] = day.split('-').map(Number);
  return {
    from: new Date(startOfLocalDay(y, m, d, timeZone)),
    to: new Date(startOfLocalDay(y, m, d + 1, timeZone)),
  };
}
