/** The fixed intent catalog (DESIGN.md, "Intents"). Order is the canonical display order. */
export const INTENTS = [
  'ventas',
  'inventario',
  'ganancias',
  'registrar_venta',
  'ajustar_inventario',
  'precios',
  'saldo',
  'ayuda',
  'saludo',
  'otro',
] as const;

export type Intent = (typeof INTENTS)[number];

/** A calendar range in the shop's time zone, as UTC instants: [from, to). */
export interface PeriodEntity {
  /** Stable key that `resolvePeriod` understands, e.g. 'today', 'weekday:saturday', 'month:10'. */
  key: string;
  /** Spanish wording for replies, e.g. 'hoy', 'el sábado', 'octubre'. */
  label: string;
  from: Date;
  to: Date;
}

export interface ItemEntity {
  quantity: number;
  /**
   * The owner's words for the product, folded (lowercase, no accents), head noun and the words
   * agreeing with it singularized: "2 cocas" → "coca", "3 panes dulces" → "pan dulce". Size,
   * variant and pack words stay ("coca de 2 litros", "coca 600", "caja de maruchan"); matching
   * against the catalogue is the caller's job.
   */
  product: string;
  /** Price of one unit when the message gives it: "vendí 2 cocas a 18" → 1800. */
  unitPriceCents?: number;
}

export const STOCK_CHANGE_KINDS = ['add', 'remove', 'set'] as const;
export type StockChangeKind = (typeof STOCK_CHANGE_KINDS)[number];

/**
 * Why stock moved, when the message says so. 'compra' covers deliveries and purchases
 * ("llegaron", "me surtieron"), 'conteo' every count that sets the stock ("conté 15",
 * "tengo 30 en total", "ajusta a 30"), 'devolucion' both directions (a customer returns → add,
 * the owner returns to the supplier → remove).
 */
export const STOCK_CHANGE_REASONS = [
  'compra',
  'merma',
  'rotura',
  'caducidad',
  'robo',
  'consumo',
  'devolucion',
  'conteo',
] as const;
export type StockChangeReason = (typeof STOCK_CHANGE_REASONS)[number];

export interface StockItemEntity {
  /** For 'set' the new stock; for 'add'/'remove' how many units moved. */
  quantity: number;
  product: string;
}

/** "llegaron 24 cocas" → { kind: 'add', reason: 'compra', items: [{ 24, 'coca' }] }. */
export interface StockChangeEntity {
  kind: StockChangeKind;
  reason?: StockChangeReason;
  items: StockItemEntity[];
}

/** "sube la coca a 20 pesos" → { product: 'coca', priceCents: 2000 }: the new price. */
export interface PriceChangeEntity {
  product: string;
  priceCents: number;
}

/** "sube la coca 2 pesos" → { product: 'coca', deltaCents: 200 }: relative, signed. */
export interface PriceDeltaEntity {
  product: string;
  deltaCents: number;
}

export type YesNo = 'yes' | 'no';

export interface IntentEntities {
  period?: PeriodEntity;
  /** Sales and stock changes: what and how many ("vendí 2 cocas y 1 sabritas"). */
  items?: ItemEntity[];
  priceCents?: number;
  product?: string;
  /**
   * The whole message is a short reply ("ok", "va", "sale", "gracias", "👍", "sí", "no"):
   * answer briefly (zero tokens) instead of with the menu. Only ever set on 'saludo'.
   */
  ack?: true;
  /** The short reply says yes or no ("sí", "simón", "claro" / "no", "nel", "mejor no"). */
  yesNo?: YesNo;
  /** ajustar_inventario: the stock movement to record. */
  stockChange?: StockChangeEntity;
  /** precios: an absolute new price for a product. Absent on read questions ("¿a cómo está?"). */
  priceChange?: PriceChangeEntity;
  /** precios: a raise or cut by an amount ("sube la coca 2 pesos"). */
  priceDelta?: PriceDeltaEntity;
  /**
   * precios: the message asks to change a price (a change verb or a statement of a new price),
   * even when the product or the amount is missing ("sube el precio de la coca"): the caller
   * asks for what is missing instead of answering with the current price.
   */
  wantsPriceChange?: true;
}

export type DecidedBy = 'rules' | 'learned';

export interface IntentResult {
  intent: Intent;
  /** In [0, 1]; below LOW_CONFIDENCE_THRESHOLD the caller may ask an LLM instead. */
  confidence: number;
  entities: IntentEntities;
  /** 'rules' when the rules were confident enough, 'learned' when the small model decided. */
  decidedBy: DecidedBy;
  /**
   * Neither the rules nor the learned model reached its threshold: ask an LLM with
   * buildIntentPrompt / parseIntentReply before acting on `intent`.
   */
  unsure: boolean;
}

export interface ClassifyOptions {
  /** Reference instant for relative periods ("hoy", "el sábado"); defaults to the current time. */
  now?: Date;
  /** IANA zone of the shop; defaults to America/Mexico_City. */
  timeZone?: string;
}
