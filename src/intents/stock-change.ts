import { firstProductSpan, productText, scanItems } from './entities';
import type { Features } from './features';
import type {
  StockChangeEntity,
  StockChangeKind,
  StockChangeReason,
  StockItemEntity,
} from './intent.types';
import { Cue } from './lexicon';
import { NumberKind, wordKey, type TokenInfo } from './token-analyzer';

/**
 * What an ajustar_inventario message does to the stock: add (arrivals, purchases, a customer's
 * return), remove (losses with their reason, own consumption, returns to the supplier, "quita")
 * or set (a count: "conté 15", "tengo 30 en total", "ajusta las cocas a 30").
 */

const keys = (words: string): ReadonlySet<string> => new Set(words.split('|').map(wordKey));

/** Words that name a reason; the first family that matches wins, in this order. */
const REASON_WORDS: readonly [StockChangeReason, ReadonlySet<string>][] = [
  [
    'caducidad',
    keys(
      'caduco|caducaron|caducado|caducados|caducada|caducadas|caducidad|vencio|vencieron|vencido|' +
        'vencidos|vencida|vencidas|fecha',
    ),
  ],
  [
    'rotura',
    keys(
      'rompio|rompieron|rompi|rompimos|roto|rotos|rota|rotas|quebro|quebraron|quebre|quebrado|' +
        'quebrados|cayo|cayeron|aplasto|aplastaron|estrello|estrellaron',
    ),
  ],
  ['robo', keys('robaron|robo|robado|robados|volaron|ratero|rateros')],
  ['consumo', keys('comi|comimos|comieron|comio|tome|tomamos|tomaron|consumo|consumimos|casa')],
  [
    'merma',
    keys(
      'merma|mermas|perder|podrio|podrieron|pudrio|pudrieron|podrido|podridos|descompuso|' +
        'descompusieron|duros|duras|duro|agrio|agriaron|echado|echados|danaron|danado|danados|' +
        'mojaron|mojado|mojados|perdieron|perdio|tire|tiramos|tiraron|tira|tirar|derramo|' +
        'derramaron|feo|feos',
    ),
  ],
];
/** The owner returned goods (to the supplier): stock goes down; any other return comes in. */
const RETURN_OUT = keys('devolvi|devolvimos|regrese|regresamos|devolver|devuelve|devuelvo');

const TARGET_INTRO = keys('a|en|son|quedan|queda|hay|tengo');

export function extractStockChange(f: Features): StockChangeEntity | undefined {
  const kind = stockKind(f);
  const items = stockItems(f, kind);
  if (items.length === 0) return undefined;
  const reason = kind === 'set' ? 'conteo' : stockReason(f, kind);
  return reason === undefined ? { kind, items } : { kind, reason, items };
}

function stockKind(f: Features): StockChangeKind {
  const c = f.counts;
  if (c[Cue.Count] > 0 || c[Cue.InTotal] > 0 || c[Cue.SetStock] > 0) return 'set';
  if (c[Cue.Remove] > 0 || c[Cue.Loss] > 0 || c[Cue.Consume] > 0) return 'remove';
  if (c[Cue.Return] > 0 && anyKey(f, RETURN_OUT)) return 'remove';
  if (c[Cue.Arrive] > 0 || c[Cue.Add] > 0 || c[Cue.Return] > 0) return 'add';
  // "tengo 18 zotes", "pon el inventario de aceite en 10": a statement of how many there are.
  if (c[Cue.Have] > 0 || c[Cue.Put] > 0) return 'set';
  return 'add';
}

function stockReason(f: Features, kind: StockChangeKind): StockChangeReason | undefined {
  if (f.counts[Cue.Return] > 0) return 'devolucion';
  if (kind === 'remove') {
    if (f.counts[Cue.Consume] > 0) return 'consumo';
    for (const [reason, words] of REASON_WORDS) if (anyKey(f, words)) return reason;
    return undefined;
  }
  // Arrivals from a supplier or a purchase; plain "agrega 10" says nothing about why.
  return f.counts[Cue.Arrive] > 0 ? 'compra' : undefined;
}

function anyKey(f: Features, words: ReadonlySet<string>): boolean {
  for (let i = 0; i < f.count; i++) if (words.has(f.tokens[i].key)) return true;
  return false;
}

/**
 * Quantity-first items ("24 cocas"); otherwise the product named first and the number at the
 * end ("ajusta las cocas a 30", "corrige el stock de sabritas, son 25", "llegaron las cocas, 24").
 */
function stockItems(f: Features, kind: StockChangeKind): StockItemEntity[] {
  const items = scanItems(f).map(({ quantity, product }) => ({ quantity, product }));
  if (items.length > 0) return items;
  const span = firstProductSpan(f);
  if (span === undefined) return [];
  const quantity = trailingQuantity(f.tokens, f.count, span[1], kind);
  const product = productText(f.tokens, span[0], span[1]);
  return quantity === undefined || product === undefined ? [] : [{ quantity, product }];
}

function trailingQuantity(
  tokens: readonly TokenInfo[],
  count: number,
  from: number,
  kind: StockChangeKind,
): number | undefined {
  for (let i = count - 1; i >= from; i--) {
    const token = tokens[i];
    if (token.numberKind === NumberKind.None || token.money) continue;
    if (!(token.value > 0) || !Number.isFinite(token.value)) return undefined;
    // For a set the number has to read as the target ("a 30", "en 12", "son 25", "sabritas 25").
    const prev = i > 0 ? tokens[i - 1] : undefined;
    if (kind === 'set' && prev !== undefined && !TARGET_INTRO.has(prev.key) && !prev.content) {
      return undefined;
    }
    return token.value;
  }
  return undefined;
}
