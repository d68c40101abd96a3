import type {
  ActionKind,
  ActionResult,
  ConfirmOutcome,
  PendingAction,
  UndoOutcome,
} from '../../store/actions';
import { formatInt, formatMoney } from '../../common/money';
import type { StockAfter, StockShortage } from '../../store';
import type { ListRow, OutgoingMessage } from '../../whatsapp/graph-api.types';

/**
 * What the bot says about writes: the exact summary to confirm, the list to choose a product
 * from, the result with the new stock or price, and why nothing changed when nothing did.
 * Button and row ids carry the action id: `act:yes:<id>`, `act:no:<id>`, `act:undo:<id>`,
 * `act:pick:<id>:<line>:<productId>`.
 */
export const ACTION_ID_PREFIX = 'act:';

export type ActionChoice =
  | { op: 'yes' | 'no' | 'undo'; actionId: string }
  | { op: 'pick'; actionId: string; line: number; productId: string };

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const CHOICE = new RegExp(`^act:(yes|no|undo):(${UUID})$`, 'i');
const PICK = new RegExp(`^act:pick:(${UUID}):(\\d{1,2}):(${UUID})$`, 'i');

/** The tapped button or row, or null when the id is not one of ours (or was tampered with). */
export function parseActionChoice(id: string): ActionChoice | null {
  const choice = CHOICE.exec(id);
  if (choice) return { op: choice[1].toLowerCase() as 'yes' | 'no' | 'undo', actionId: choice[2] };
  const pick = PICK.exec(id);
  if (pick) return { op: 'pick', actionId: pick[1], line: Number(pick[2]), productId: pick[3] };
  return null;
}

const NOUN: Record<ActionKind, string> = {
  sale: 'venta',
  stock_in: 'entrada',
  stock_out: 'salida',
  stock_set: 'ajuste de inventario',
  price_change: 'cambio de precio',
};

const isMasculine = (kind: ActionKind) => kind === 'stock_set' || kind === 'price_change';

/** "Esa venta", "Ese ajuste de inventario". */
function that(kind: ActionKind): string {
  return `${isMasculine(kind) ? 'Ese' : 'Esa'} ${NOUN[kind]}`;
}

/** "registrada" → "registrado", "la" → "lo" for a masculine noun. */
function agree(kind: ActionKind, word: string): string {
  if (!isMasculine(kind)) return word;
  return word === 'la' ? 'lo' : word.replace(/a$/, 'o');
}

const REASON: Record<string, string> = {
  compra: 'compra',
  merma: 'merma',
  rotura: 'rotura',
  caducidad: 'caducidad',
  robo: 'robo',
  consumo: 'consumo propio',
  devolucion: 'devolución',
  conteo: 'conteo',
};

const qty = (n: number) => formatInt(n);

/** "Registrar venta: 2 × Coca-Cola 600 ml a $18.00 + … = $57.00" (without "¿Confirmas?"). */
export function actionSummary(action: PendingAction): string {
  const { lines, reason } = action.payload;
  const why = reason && action.kind !== 'stock_set' ? ` (${REASON[reason] ?? reason})` : '';
  switch (action.kind) {
    case 'sale': {
      const total = lines.reduce((a, l) => a + l.quantity * (l.unitPriceCents ?? 0), 0);
      const items = lines
        .map((l) => `${qty(l.quantity)} × ${l.name} a ${formatMoney(l.unitPriceCents ?? 0)}`)
        .join(' + ');
      return `Registrar venta: ${items} = ${formatMoney(total)}`;
    }
    case 'stock_in':
      return `Registrar entrada${why}: ${lines.map((l) => `+${qty(l.quantity)} ${l.name}`).join(', ')}`;
    case 'stock_out':
      return `Registrar salida${why}: ${lines.map((l) => `-${qty(l.quantity)} ${l.name}`).join(', ')}`;
    case 'stock_set':
      return `Ajustar inventario: ${lines
        .map((l) => `${l.name} a ${qty(l.quantity)} (hoy dice ${qty(l.stockBefore ?? 0)})`)
        .join(', ')}`;
    case 'price_change': {
      const [l] = lines;
      return `Cambiar precio: ${l.name} de ${formatMoney(l.oldPriceCents ?? 0)} a ${formatMoney(l.newPriceCents ?? 0)}`;
    }
  }
}

export function confirmationMessage(action: PendingAction): OutgoingMessage {
  return {
    type: 'buttons',
    body: `${actionSummary(action)}. ¿Confirmas?`,
    buttons: [
      { id: `act:yes:${action.id}`, title: 'Sí' },
      { id: `act:no:${action.id}`, title: 'No' },
    ],
    footer: 'Vence en 10 minutos',
  };
}

/** Which product the owner meant, as a list (WhatsApp: row titles ≤ 24, descriptions ≤ 72). */
export function chooseMessage(action: PendingAction, line: number): OutgoingMessage {
  const target = action.payload.lines[line];
  const rows: ListRow[] = (target.candidates ?? []).map((c) => ({
    id: `act:pick:${action.id}:${line}:${c.productId}`,
    title: clip(c.name, 24),
    description: clip(`${c.name} · ${formatMoney(c.priceCents)} · tienes ${qty(c.stock)}`, 72),
  }));
  const what = action.kind === 'price_change' ? 'cambiar de precio' : 'registrar';
  return {
    type: 'list',
    body: `Tengo varios productos que dicen «${target.text}». ¿Cuál quieres ${what}?`,
    buttonText: 'Elegir producto',
    sections: [{ title: 'Productos', rows }],
  };
}

/** Nothing proposed: the products the catalogue does not have, and the closest names. */
export function unknownProductsText(unknown: { text: string; suggestions: string[] }[]): string {
  const parts = unknown.map(({ text, suggestions }) =>
    suggestions.length > 0
      ? `No encontré «${text}» en tu catálogo. ¿Quisiste decir ${orList(suggestions)}?`
      : `No encontré «${text}» en tu catálogo.`,
  );
  return `${parts.join('\n')}\nNo registré nada. Escríbelo con el nombre del producto y lo preparo.`;
}

/** A price change to the price it already has: say so instead of asking to confirm a no-op. */
export function unchangedPriceText(lines: { name: string; priceCents: number }[]): string {
  const parts = lines.map((l) => `${l.name} ya está a ${formatMoney(l.priceCents)}`);
  return `${parts.join(', ')}; no cambié nada.`;
}

export const FRACTION_TEXT =
  'Solo puedo registrar piezas enteras, así que no registré nada. ¿Me lo mandas en piezas?';
export const NEGATIVE_PRICE_TEXT =
  'Con ese cambio el precio quedaría abajo de $0.00, así que no cambié nada. ¿Qué precio le pongo?';
export const UNCLEAR_WRITE_TEXT =
  'No entendí qué registrar, así que no registré nada. Escríbemelo así: «vendí 2 cocas», «llegaron 24 cocas» o «sube la coca a 20».';
export const NOTHING_TO_UNDO = 'No hay nada que deshacer de los últimos 10 minutos.';
export const ALREADY_UNDONE = 'Tu última operación ya estaba deshecha; no cambié nada más.';

export function cancelledText(action: PendingAction): string {
  return `Listo, cancelé ${isMasculine(action.kind) ? 'el' : 'la'} ${NOUN[action.kind]}: no registré nada.`;
}

/** The answer to a tap that changed nothing, saying why. */
export function notDoneText(
  outcome: Exclude<ConfirmOutcome, { kind: 'executed' | 'refused' | 'still_choosing' }>,
): string {
  switch (outcome.kind) {
    case 'already_executed':
      return `${that(outcome.action.kind)} ya estaba ${agree(outcome.action.kind, 'registrada')}; no ${agree(outcome.action.kind, 'la')} registré otra vez.`;
    case 'already_cancelled':
      return `${that(outcome.action.kind)} ya estaba ${agree(outcome.action.kind, 'cancelada')}, así que no registré nada.`;
    case 'already_refused':
      return `${that(outcome.action.kind)} no se pudo registrar antes y no ${agree(outcome.action.kind, 'la')} intenté otra vez. Mándamelo de nuevo si quieres.`;
    case 'undone':
      return `${that(outcome.action.kind)} ya ${agree(outcome.action.kind, 'la')} habías deshecho; no cambié nada.`;
    case 'expired':
      return 'Esa confirmación ya venció (dura 10 minutos), así que no registré nada. Mándamelo de nuevo y te lo preparo.';
    case 'product_missing':
      return 'Uno de los productos ya no está en tu catálogo, así que no registré nada.';
    case 'owner_only':
      return OWNER_ONLY_PRICES;
    case 'not_found':
      return 'Ese botón no es de una operación de este chat, así que no registré nada.';
  }
}

export function refusedText(action: PendingAction, shortages: StockShortage[]): string {
  const lines = shortages.map(
    (s) =>
      `${s.name}: tienes ${qty(s.stock)} y ${action.kind === 'sale' ? 'vendiste' : 'sacaste'} ${qty(s.requested)}`,
  );
  return (
    `No registré la ${NOUN[action.kind]}: tu tienda no permite quedar con inventario negativo.\n` +
    `${lines.join('\n')}\nSi llegó mercancía, regístrala primero («llegaron 24 cocas») y vuelve a intentarlo.`
  );
}

/** The result of an executed action, with the new stock or price and a way to undo it. */
export function executedMessage(action: PendingAction, result: ActionResult): OutgoingMessage {
  const body = `${executedText(action, result)}\n¿Fue un error? Escribe «deshacer» o toca el botón (10 min).`;
  return {
    type: 'buttons',
    body,
    buttons: [{ id: `act:undo:${action.id}`, title: 'Deshacer' }],
  };
}

function executedText(action: PendingAction, result: ActionResult): string {
  const lines = action.payload.lines;
  if (result.kind === 'sale') {
    const items = lines.map((l) => `${qty(l.quantity)} × ${l.name}`).join(' + ');
    return `✅ Venta registrada: ${items} = ${formatMoney(result.sale.totalCents)}.\n${stockLine(result.sale.stocks)}`;
  }
  if (result.kind === 'stock') {
    const verb =
      action.kind === 'stock_in'
        ? 'Entrada registrada'
        : action.kind === 'stock_out'
          ? 'Salida registrada'
          : 'Inventario ajustado';
    return `✅ ${verb}.\n${stockLine(result.stock.moves)}`;
  }
  if (result.kind === 'price') {
    const p = result.price;
    return `✅ Precio cambiado: ${p.name} ahora cuesta ${formatMoney(p.newPriceCents)} (antes ${formatMoney(p.oldPriceCents)}).`;
  }
  return 'No registré nada.';
}

function stockLine(stocks: StockAfter[]): string {
  const parts = stocks.map((s) => `${s.name}: ${qty(s.stock)}`);
  return `${stocks.length === 1 ? 'Te queda' : 'Te quedan'} ${parts.join(', ')}.`;
}

export function undoneText(outcome: Extract<UndoOutcome, { kind: 'undone' }>): string {
  const { action, result } = outcome;
  const undo = 'undo' in result ? result.undo : undefined;
  const stocks = undo?.stocks ?? [];
  const what = actionSummary(action).replace(/^[^:]+: /, '');
  const head = `↩️ Deshice ${isMasculine(action.kind) ? 'el' : 'la'} ${NOUN[action.kind]}: ${what}.`;
  if (action.kind === 'price_change') {
    const [p] = undo?.prices ?? [];
    return p ? `${head}\n${p.name} vuelve a costar ${formatMoney(p.newPriceCents)}.` : head;
  }
  return stocks.length > 0 ? `${head}\n${stockLine(stocks)}` : head;
}

export const OWNER_ONLY_PRICES =
  'Solo el dueño de la tienda puede cambiar precios. Tú puedes registrar ventas y movimientos de inventario, y consultar existencias y precios.';

/** Profit, balance and packages are the owner's. */
export const OWNER_ONLY_READ =
  'Eso solo lo puede consultar el dueño de la tienda (ganancias, saldo y paquetes). Tú puedes registrar ventas y movimientos de inventario, y consultar existencias y precios.';

/** A voice note's answer starts with what was understood. */
export function understoodPrefix(transcript: string): string {
  return `Entendí: «${transcript}»`;
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function orList(names: string[]): string {
  const quoted = names.map((n) => `«${n}»`);
  return quoted.length <= 1
    ? (quoted[0] ?? '')
    : `${quoted.slice(0, -1).join(', ')} o ${quoted[quoted.length - 1]}`;
}
