/**
 * Intent classification for incoming WhatsApp messages: pure, synchronous, no I/O.
 * The assistant calls classifyIntent before any LLM; resolvePeriod is shared with the tools
 * so "hoy" / "la semana pasada" mean the same range everywhere.
 */
export { INTENTS, STOCK_CHANGE_KINDS, STOCK_CHANGE_REASONS } from './intent.types';
export type {
  ClassifyOptions,
  DecidedBy,
  Intent,
  IntentEntities,
  IntentResult,
  ItemEntity,
  PeriodEntity,
  PriceChangeEntity,
  PriceDeltaEntity,
  StockChangeEntity,
  StockChangeKind,
  StockChangeReason,
  StockItemEntity,
  YesNo,
} from './intent.types';
export { classifyIntent, LOW_CONFIDENCE_THRESHOLD } from './classify-intent';
export { isChangeRequest } from './change-request';
export { normalizeText } from './normalize-text';
export { resolvePeriod } from './period';
export { DEFAULT_TIME_ZONE } from './time-zone';
