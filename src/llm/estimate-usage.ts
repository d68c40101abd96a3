import type { LlmRequest, LlmToolCall, LlmUsage } from './llm.types';

const CHARS_PER_TOKEN = 4;

/**
 * A rough token count for the rare response without `usage`, so the shop is still charged
 * something proportionate instead of nothing. Flagged `estimated` for whoever reads it.
 */
export function estimateUsage(
  request: Pick<LlmRequest, 'messages' | 'tools'>,
  content: string | null,
  toolCalls: LlmToolCall[],
): LlmUsage {
  const promptChars =
    JSON.stringify(request.messages).length +
    (request.tools && request.tools.length > 0 ? JSON.stringify(request.tools).length : 0);
  const completionChars =
    (content ?? '').length + toolCalls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
  const promptTokens = Math.ceil(promptChars / CHARS_PER_TOKEN);
  const completionTokens = Math.ceil(completionChars / CHARS_PER_TOKEN);
  return {
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    costUsd: null,
    estimated: true,
  };
}
