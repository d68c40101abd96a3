import { countTokens } from 'gpt-tokenizer';
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';

/** Chat framing per message (role markers, separators) that the text alone does not show. */
const TOKENS_PER_MESSAGE = 4;
/** Providers tokenize differently than o200k; reserving a bit more avoids overruns. */
const SAFETY_FACTOR = 1.1;
const FIXED_OVERHEAD = 8;

/**
 * Estimate of what a prompt will cost: gpt-tokenizer over every message's text and tool
 * calls plus the JSON of the tool definitions, with a margin. Errs high on purpose: a
 * reservation that is too large is given back, one that is too small becomes a shortfall.
 */
export function estimatePromptTokens(
  messages: ChatCompletionMessageParam[],
  tools: ChatCompletionTool[],
): number {
  let tokens = FIXED_OVERHEAD;
  for (const m of messages) {
    tokens += TOKENS_PER_MESSAGE + countTokens(messageText(m));
  }
  if (tools.length > 0) tokens += countTokens(JSON.stringify(tools));
  return Math.ceil(tokens * SAFETY_FACTOR);
}

function messageText(m: ChatCompletionMessageParam): string {
  const parts: string[] = [];
  const content = (m as { content?: unknown }).content;
  if (typeof content === 'string') parts.push(content);
  else if (Array.isArray(content)) {
    for (const part of content as { text?: unknown }[]) {
      if (typeof part.text === 'string') parts.push(part.text);
    }
  }
  const calls = (m as { tool_calls?: unknown }).tool_calls;
  if (Array.isArray(calls)) parts.push(JSON.stringify(calls));
  return parts.join('\n');
}
