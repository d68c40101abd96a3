import { Injectable } from '@nestjs/common';
import type { Turn } from '../../conversations/services/conversations.service';
import { ConversationsService } from '../../conversations/services/conversations.service';
import {
  classifyIntent,
  type ClassifyOptions,
  type Intent,
  type IntentResult,
  normalizeText,
} from '../../intents';
import type { AnswerContext, Question } from '../answer.types';
import { DATA_INTENTS, plannedToolCall } from '../prefetch';
import { IntentFallbackService } from './intent-fallback.service';

/** History sent with each question: enough for "¿y ayer?", small enough for a Básico shop. */
export const HISTORY_BUDGET_TOKENS = 120;

/**
 * A text message made into a question: its words, the chat's recent turns, its intent, and
 * the read it obviously needs (prefetched for the LLM, and what level 2 answers from).
 */
@Injectable()
export class QuestionService {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly fallback: IntentFallbackService,
  ) {}

  async fromText(ctx: AnswerContext, text: string): Promise<Question> {
    const { message, tenant, now, sender } = ctx;
    // One history per registered user, whichever form of their number Meta used.
    const history = await this.conversations.recent(
      tenant.id,
      sender.user.waId,
      HISTORY_BUDGET_TOKENS,
      message.wamid,
    );
    const options = { now, timeZone: tenant.timezone };
    const normalized = normalizeText(text);
    const rules = followUp(classifyIntent(text, options), history, normalized, options);
    // Still unsure after the rules, the learned model and the chat's context: ask an LLM.
    const { result: classified, round } = await this.fallback.classify(
      ctx,
      text,
      normalized,
      rules,
    );
    const plan = DATA_INTENTS.has(classified.intent)
      ? plannedToolCall(classified.intent, classified.entities, tenant.timezone, normalized)
      : null;
    return { ctx, text, normalized, classified, history, plan, classificationRound: round };
  }
}

/** Words that open a follow-up without naming anything: "¿y de la coca light?". */
const FOLLOW_UP_FILLER = new Set(['y', 'de', 'del', 'la', 'el', 'las', 'los', 'con', 'en', 'pero']);
const MAX_FOLLOW_UP_WORDS = 5;

/**
 * A short, unsure message right after a data question continues that question: its intent,
 * and whatever it does not say again. "¿cuánto vendí de coca hoy?" then "¿y ayer?" is coca,
 * yesterday; "¿cuánto vendí ayer?" then "¿y de coca light?" is coca light, yesterday.
 */
export function followUp(
  result: IntentResult,
  history: Turn[],
  normalized = '',
  options: ClassifyOptions = {},
): IntentResult {
  const last = [...history].reverse().find((t) => t.role === 'user' && t.intent);
  if (!last?.intent || !DATA_INTENTS.has(last.intent as Intent)) return result;
  const unsure = result.intent === 'otro' || result.unsure;
  if (!unsure) return result;
  const period = result.entities.period;
  const product = result.entities.product ?? (period ? undefined : namedInFollowUp(normalized));
  if (!period && !product) return result;
  // Only a real follow-up ("¿y ayer?", "y de la light") inherits what it leaves out; a full
  // question the classifier was unsure of keeps to what it says.
  if (!isShortFollowUp(normalized))
    return { ...result, intent: last.intent as Intent, unsure: false };
  const previous = classifyIntent(last.content, options).entities;
  return {
    ...result,
    intent: last.intent as Intent,
    unsure: false,
    entities: {
      ...result.entities,
      period: period ?? previous.period,
      product: product ?? previous.product,
    },
  };
}

function isShortFollowUp(normalized: string): boolean {
  const words = normalized.split(/\s+/).filter(Boolean);
  return words[0] === 'y' || words.length <= 3;
}

/** The product a short follow-up names once its filler words are gone, if it names one. */
function namedInFollowUp(normalized: string): string | undefined {
  const words = normalized.split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > MAX_FOLLOW_UP_WORDS) return undefined;
  let i = 0;
  while (i < words.length && FOLLOW_UP_FILLER.has(words[i])) i++;
  const rest = words.slice(i);
  return rest.some((w) => /^[a-zñ]{3,}$/.test(w)) ? rest.join(' ') : undefined;
}
