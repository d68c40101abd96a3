import type { StockChangeReason } from '../../intents';
import type {
  RecordedSale,
  RecordedStockMove,
  RecordedPriceChange,
  ReversedWrite,
} from '../store.types';

/** What a confirmed action writes. */
export const ACTION_KINDS = ['sale', 'stock_in', 'stock_out', 'stock_set', 'price_change'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export type ActionStatus = 'choosing' | 'pending' | 'executed' | 'cancelled' | 'refused' | 'undone';

/** How long an owner has to confirm (and, once executed, to undo). */
export const ACTION_TTL_SECONDS = 10 * 60;

/** A product the owner may have meant, offered in a list. */
export interface ActionCandidate {
  productId: string;
  name: string;
  unit: string;
  priceCents: number;
  stock: number;
}

/**
 * One line of an action, normalized: the owner's words, the product they resolved to (null
 * while the owner still has to choose among `candidates`) and the figures the summary shows,
 * frozen so that what is recorded is exactly what was confirmed.
 */
export interface ActionLine {
  /** The owner's words for the product. */
  text: string;
  /** Sale / stock: units (for stock_set the counted stock). 0 for a price change. */
  quantity: number;
  productId: string | null;
  name: string | null;
  unit: string | null;
  /** Sale: the unit price as the owner gave it, if they did. */
  givenPriceCents?: number;
  /** Sale: the unit price to record (given, else the catalogue's when proposed). */
  unitPriceCents?: number;
  /** Price change: the absolute new price asked for, or the change by an amount. */
  givenNewPriceCents?: number;
  deltaCents?: number;
  /** Price change: the price before and after, once the product is known. */
  oldPriceCents?: number;
  newPriceCents?: number;
  /** Stock: what the catalogue said when proposed (for "tenías 12"). */
  stockBefore?: number;
  candidates?: ActionCandidate[];
}

export interface ActionPayload {
  lines: ActionLine[];
  /** Stock moves: why (compra, merma, rotura…), when the owner said. */
  reason?: StockChangeReason;
}

export interface PendingAction {
  id: string;
  tenantId: string;
  tenantUserId: string;
  chatWaId: string;
  inboundWamid: string;
  kind: ActionKind;
  payload: ActionPayload;
  status: ActionStatus;
  expiresAt: Date;
  decidedWamid: string | null;
  decidedAt: Date | null;
  result: ActionResult | null;
  undoWamid: string | null;
  undoneAt: Date | null;
  createdAt: Date;
}

/** What the store reported when the action ran, kept on the action (a retry answers from it). */
export type ActionResult =
  | { kind: 'sale'; sale: RecordedSale; undo?: ReversedWrite }
  | { kind: 'stock'; stock: RecordedStockMove; undo?: ReversedWrite }
  | { kind: 'price'; price: RecordedPriceChange; undo?: ReversedWrite }
  | { kind: 'refused'; reason: string; detail: unknown };

/** Who is acting, in which shop and chat, with which message. */
export interface ActionActor {
  tenantId: string;
  tenantUserId: string;
  chatWaId: string;
  wamid: string;
  role: 'owner' | 'employee';
  allowNegativeStock: boolean;
}

/** A write the owner asked for, before any product is resolved. */
export interface ActionDraft {
  kind: ActionKind;
  reason?: StockChangeReason;
  lines: {
    text: string;
    quantity: number;
    givenPriceCents?: number;
    givenNewPriceCents?: number;
    deltaCents?: number;
  }[];
}
