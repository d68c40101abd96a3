import { Injectable } from '@nestjs/common';
import type { Turn } from '../../conversations/services/conversations.service';
import { ConversationsService } from '../../conversations/services/conversations.service';
import { classifyIntent, type Intent, type IntentResult, normalizeText } from '../../intents';
import type { AnswerContext, Question } from '../answer.types';
import { DATA_INTENTS } from '../prefetch';

/** History sent with each question: enough for "¿y ayer?", small enough for a Básico shop. */
export const HISTORY_BUDGET_TOKENS = 120;

/** A text message made into a question: its words, the chat's recent turns, its intent. */
@Injectable()
export class QuestionService {
  constructor(private readonly conversations: ConversationsService) {}

  async fromText(ctx: AnswerContext, text: string): Promise<Question> {
    const { message, tenant, now, sender } = ctx;
    // One history per registered user, whichever form of their number Meta used.
    const history = await this.conversations.recent(
      tenant.id,
      sender.user.waId,
      HISTORY_BUDGET_TOKENS,
      message.wamid,
    );
    const classified = followUp(classifyIntent(text, { now, timeZone: tenant.timezone }), history);
    return { ctx, text, normalized: normalizeText(text), classified, history };
  }
}

/**
 * A short, unsure message right after a data question ("¿y ayer?") continues that question:
 * keep its intent, take the new period or product.
 */
export function followUp(result: IntentResult, history: Turn[]): IntentResult {
  const last = [...history].reverse().find((t) => t.role === 'user' && t.intent);
  if (!last?.intent || !DATA_INTENTS.has(last.intent as Intent)) return result;
  const unsure = result.intent === 'otro' || result.confidence < 0.5;
  const hasEntity = Boolean(result.entities.period || result.entities.product);
  return unsure && hasEntity ? { ...result, intent: last.intent as Intent } : result;
}
