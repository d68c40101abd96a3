import { extractItems, extractPriceCents, extractProduct, extractSaleItems } from './entities';
import { extractFeatures, type Features } from './features';
import {
  INTENTS,
  type ClassifyOptions,
  type Intent,
  type IntentEntities,
  type IntentResult,
} from './intent.types';
import modelWeights from './intent-model.json';
import { foldedText } from './learned-features';
import {
  compileModel,
  predictLearned,
  type CompiledModel,
  type ModelWeights,
} from './learned-model';
import { normalizeText } from './normalize-text';
import { resolvePeriod } from './period';
import { detectPeriodKey } from './period-parser';
import { extractPriceChange } from './price-change';
import { applyRules, INTENT_INDEX } from './rules';
import { detectShortReply } from './short-reply';
import { extractStockChange } from './stock-change';
import { DEFAULT_TIME_ZONE, formatterFor } from './time-zone';

/**
 * Below this the assistant may ask an LLM to classify instead. Messages with no evidence at
 * all land near 0.25, two intents with similar evidence land around 0.45–0.55, and a single
 * clear clue gives 0.85+.
 */
export const LOW_CONFIDENCE_THRESHOLD = 0.55;

/**
 * When the runner-up has this much evidence too, the message asks for two things ("vendí 2 y
 * llegaron 24", "precio e inventario"): a bag-of-n-grams model cannot pick a side, so the
 * learned model is not asked and the result stays unsure.
 */
const CONFLICT_EVIDENCE = 2;

/** The shipped learned model (src/intents/intent-model.json, `npm run intents:train`). */
export const LEARNED_MODEL: CompiledModel = compileModel(modelWeights as ModelWeights);
/** The learned model decides from this confidence up (cross-validated, ≥ the rules' threshold). */
export const LEARNED_CONFIDENCE_THRESHOLD = Math.max(
  LEARNED_MODEL.threshold,
  LOW_CONFIDENCE_THRESHOLD,
);

/**
 * Rules this sure or less (one clue against a runner-up) are checked against the learned model:
 * when the model confidently says something else, the answer is kept but marked unsure, so
 * production asks the LLM tier instead of acting on a coin toss.
 */
const CROSS_CHECK_BELOW = 0.75;
/** The confidence of a rules answer the learned model contradicts: just under the threshold. */
const DISAGREEMENT_CONFIDENCE = 0.5;

/** Less total evidence than this is no evidence: the message becomes 'otro'. */
const MIN_EVIDENCE = 1;
const NO_EVIDENCE_CONFIDENCE = 0.25;
/** "ok", "gracias", "sí": nothing else to read into them. */
const SHORT_REPLY_CONFIDENCE = 0.95;
const EMPTY_CONFIDENCE = 0.1;
/** Evidence this strong for a task makes a leading "hola" / "gracias" incidental. */
const TASK_OVER_GREETING = 2;

const SALUDO = INTENT_INDEX.saludo;
const OTRO = INTENT_INDEX.otro;
const GREETING_EMOJI = /[\u{1F44B}\u{1F64F}\u{1F44D}\u{1F64C}\u{1F91D}\u{270C}\u{1F60A}\u{263A}]/u;

const scores = new Float64Array(INTENTS.length);

/**
 * Pure and synchronous; never calls out. Never throws for any string. The rules decide when
 * they are confident (≥ LOW_CONFIDENCE_THRESHOLD); below that the learned model decides when
 * it is confident (≥ its cross-validated threshold, never below LOW_CONFIDENCE_THRESHOLD);
 * otherwise the rules' answer is returned with `unsure: true`. So `unsure` is always exactly
 * `confidence < LOW_CONFIDENCE_THRESHOLD`.
 */
export function classifyIntent(text: string, options: ClassifyOptions = {}): IntentResult {
  return classifyWith(text, options, LEARNED_MODEL);
}

/** classifyIntent with another learned model (cross-validation), or none (rules only). */
export function classifyWith(
  text: string,
  options: ClassifyOptions,
  model: CompiledModel | undefined,
): IntentResult {
  const raw = typeof text === 'string' ? text : '';
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  formatterFor(timeZone); // an invalid zone is a configuration bug: fail on every call, not only on dates
  const normalized = normalizeText(raw);
  const f = extractFeatures(normalized, raw);

  const shortReply = detectShortReply(f, raw);
  if (shortReply !== undefined) {
    const entities: IntentEntities = { ack: true };
    if (shortReply.yesNo !== undefined) entities.yesNo = shortReply.yesNo;
    return {
      intent: 'saludo',
      confidence: SHORT_REPLY_CONFIDENCE,
      entities,
      decidedBy: 'rules',
      unsure: false,
    };
  }

  applyRules(f, scores);

  // A greeting in front of a real request is politeness, not the intent.
  // Advice or small talk after "qué onda" counts too: "qué onda con el aumento del dólar".
  let bestTask = 0;
  for (let i = 0; i < scores.length; i++) {
    if (i === SALUDO || (i === OTRO && scores[OTRO] <= scores[SALUDO])) continue;
    if (scores[i] > bestTask) bestTask = scores[i];
  }
  if (bestTask >= TASK_OVER_GREETING) scores[SALUDO] *= 0.3;

  // Ties go to 'otro': with no clear winner the free-form path (and the LLM) is the safer bet.
  let best = OTRO;
  let second = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  for (let i = 0; i < scores.length; i++) if (i !== best && scores[i] > second) second = scores[i];
  const top = scores[best];

  let intent: Intent;
  let confidence: number;
  if (top < MIN_EVIDENCE) {
    if (f.count === 0 && GREETING_EMOJI.test(raw)) {
      intent = 'saludo';
      confidence = 0.7;
    } else {
      intent = 'otro';
      confidence = f.count === 0 ? EMPTY_CONFIDENCE : NO_EVIDENCE_CONFIDENCE;
    }
  } else {
    intent = INTENTS[best];
    confidence = confidenceFrom(top, second);
  }

  let decidedBy: IntentResult['decidedBy'] = 'rules';
  if (
    confidence < LOW_CONFIDENCE_THRESHOLD &&
    model !== undefined &&
    f.count > 0 &&
    second < CONFLICT_EVIDENCE
  ) {
    // Computed only here: the learned path costs a few µs more than the rules alone.
    const learned = predictLearned(model, foldedText(f.tokens, f.count));
    if (learned.confidence >= Math.max(model.threshold, LOW_CONFIDENCE_THRESHOLD)) {
      intent = learned.intent;
      confidence = learned.confidence;
      decidedBy = 'learned';
    }
  } else if (
    confidence >= LOW_CONFIDENCE_THRESHOLD &&
    confidence < CROSS_CHECK_BELOW &&
    model !== undefined &&
    f.count > 0
  ) {
    const learned = predictLearned(model, foldedText(f.tokens, f.count));
    if (
      learned.intent !== intent &&
      learned.confidence >= Math.max(model.threshold, LOW_CONFIDENCE_THRESHOLD)
    ) {
      confidence = DISAGREEMENT_CONFIDENCE;
    }
  }
  return {
    intent,
    confidence,
    entities: extractEntities(intent, f, options, timeZone),
    decidedBy,
    unsure: confidence < LOW_CONFIDENCE_THRESHOLD,
  };
}

/**
 * Saturates with the amount of evidence and shrinks with a close runner-up:
 * one clear clue (3) → ~0.86, two agreeing clues (5+) → ~0.96, a 3.5 vs 3 tie → ~0.5.
 */
function confidenceFrom(top: number, second: number): number {
  const strength = 1 - Math.exp(-top / 1.5);
  const margin = (top - second) / top;
  const value = strength * (0.5 + 0.5 * margin);
  return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
}

function extractEntities(
  intent: Intent,
  f: Features,
  options: ClassifyOptions,
  timeZone: string,
): IntentEntities {
  const entities: IntentEntities = {};
  if (f.count === 0) return entities;
  const periodKey = detectPeriodKey(f.tokens, f.count);
  if (periodKey !== undefined) {
    entities.period = resolvePeriod(periodKey, options.now ?? new Date(), timeZone);
  }
  if (intent === 'registrar_venta') {
    const items = extractSaleItems(f);
    if (items.length > 0) entities.items = items;
  }
  if (intent === 'ajustar_inventario') {
    const items = extractItems(f);
    if (items.length > 0) entities.items = items;
    const stockChange = extractStockChange(f);
    if (stockChange !== undefined) entities.stockChange = stockChange;
  }
  if (intent === 'precios' || intent === 'registrar_venta') {
    const priceCents = extractPriceCents(f, intent === 'precios');
    if (priceCents !== undefined) entities.priceCents = priceCents;
  }
  if (
    intent === 'precios' ||
    intent === 'inventario' ||
    intent === 'ventas' ||
    intent === 'ganancias'
  ) {
    const product = extractProduct(f);
    if (product !== undefined) entities.product = product;
  }
  if (intent === 'precios') Object.assign(entities, extractPriceChange(f));
  return entities;
}
