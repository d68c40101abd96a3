/**
 * Intent classification for incoming WhatsApp messages: pure, synchronous, no I/O.
 * The assistant calls classifyIntent before any LLM: rules first, a small learned model below
 * their threshold, and `unsure: true` when neither is confident (then buildIntentPrompt /
 * parseIntentReply ask an LLM for the label). resolvePeriod is shared with the tools so "hoy" /
 * "la semana pasada" mean the same range everywhere.
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
export {
  classifyIntent,
  LEARNED_CONFIDENCE_THRESHOLD,
  LOW_CONFIDENCE_THRESHOLD,
} from './classify-intent';
export { isChangeRequest } from './change-request';
export { buildIntentPrompt, parseIntentReply } from './llm-intent-prompt';
export type { IntentPrompt, IntentReply } from './llm-intent-prompt';
export { normalizeText } from './normalize-text';
export { resolvePeriod } from './period';
export { DEFAULT_TIME_ZONE } from './time-zone';
