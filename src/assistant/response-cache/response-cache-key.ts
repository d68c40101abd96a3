import { createHash } from 'node:crypto';
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';

/** Bumped when what the key covers (or the stored entry) changes shape. */
export const RESPONSE_CACHE_VERSION = 'v1';

export interface ResponseCacheKeyInput {
  tenantId: string;
  /** The model chain the round would go to, in order. */
  models: string[];
  /** Exactly what the model would be sent: system prompt (with any data), history, question. */
  messages: ChatCompletionMessageParam[];
  tools: ChatCompletionTool[];
  /** The question as normalizeText left it (accents, case, punctuation gone). */
  normalizedQuestion: string;
  /**
   * True when the system prompt carries the data the question needs: the answer depends on
   * that data and the question, not on the chat's earlier turns, which are left out of the key.
   */
  grounded: boolean;
}

/** The clock in the system prompt ("…de 2026, 01:01 p.m."): the day stays in the key, the minute not. */
const CLOCK = /,?\s*\d{1,2}:\d{2}(\s?[ap]\.?\s?m\.?)?/i;

/**
 * sha256 of what decides the answer: the shop, the model chain, the messages as the model
 * would see them (the prompt without its minute, the question normalized) and the tool
 * definitions. The prefetched data is inside the system prompt, so a new sale changes the
 * key by construction: nothing has to invalidate anything.
 */
export function responseCacheKey(input: ResponseCacheKeyInput): string {
  const messages = input.messages.map((m, i) => normalizedMessage(m, i, input));
  const kept = input.grounded
    ? messages.filter((m, i) => i === 0 || i === messages.length - 1)
    : messages;
  const material = JSON.stringify({
    v: RESPONSE_CACHE_VERSION,
    tenant: input.tenantId,
    models: input.models,
    messages: kept,
    tools: input.tools,
  });
  return createHash('sha256').update(material).digest('hex');
}

function normalizedMessage(
  m: ChatCompletionMessageParam,
  index: number,
  input: ResponseCacheKeyInput,
): { role: string; content: string } {
  const content = typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? null);
  if (index === 0 && m.role === 'system')
    return { role: m.role, content: content.replace(CLOCK, '') };
  if (index === input.messages.length - 1 && m.role === 'user') {
    return { role: m.role, content: input.normalizedQuestion };
  }
  return { role: m.role, content: content.trim() };
}
