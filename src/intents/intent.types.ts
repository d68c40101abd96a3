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
  /** Normalized (lowercase, no accents) product words, head noun singularized: "2 cocas" → "coca". */
  product: string;
}

export interface IntentEntities {
  period?: PeriodEntity;
  items?: ItemEntity[];
  priceCents?: number;
  product?: string;
}

export interface IntentResult {
  intent: Intent;
  /** In [0, 1]; below LOW_CONFIDENCE_THRESHOLD the caller may ask an LLM instead. */
  confidence: number;
  entities: IntentEntities;
}

export interface ClassifyOptions {
  /** Reference instant for relative periods ("hoy", "el sábado"); defaults to the current time. */
  now?: Date;
  /** IANA zone of the shop; defaults to America/Mexico_City. */
  timeZone?: string;
}
