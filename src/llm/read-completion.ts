import type { ChatCompletion } from 'openai/resources/chat/completions';
import { LlmError } from './llm-error';
import type { LlmToolCall } from './llm.types';
import {
  assertUsable,
  finishReasonFrom,
  stringOrNull,
  usageFrom,
  type ParsedAnswer,
} from './parsed-answer';

/**
 * Reads a non-streaming response. OpenRouter answers HTTP 200 when a provider fails after
 * accepting the request, with `error` in the body and no choices: that is a failed attempt.
 */
export function readCompletion(body: ChatCompletion): ParsedAnswer {
  const raw = body as ChatCompletion & { error?: unknown; provider?: unknown };
  const usage = usageFrom(raw.usage);
  if (raw.error !== undefined && raw.error !== null) {
    throw new LlmError({
      kind: 'provider_error',
      providerMessage: bodyErrorMessage(raw.error),
      usage: usage ?? undefined,
    });
  }
  const choice = Array.isArray(raw.choices) ? raw.choices[0] : undefined;
  if (!choice) {
    throw new LlmError({
      kind: 'provider_error',
      providerMessage: 'response had no choices',
      usage: usage ?? undefined,
    });
  }
  const toolCalls: LlmToolCall[] = [];
  for (const call of choice.message?.tool_calls ?? []) {
    // Only function tools are offered, so other tool-call types are not ours to run.
    if (call.type === 'function') {
      toolCalls.push({
        id: call.id,
        name: call.function.name,
        arguments: call.function.arguments ?? '',
      });
    }
  }
  return assertUsable({
    content: typeof choice.message?.content === 'string' ? choice.message.content : null,
    toolCalls,
    finishReason: finishReasonFrom(choice.finish_reason, toolCalls.length > 0, usage),
    usage,
    generationId: stringOrNull(raw.id),
    provider: stringOrNull(raw.provider),
    responseModel: stringOrNull(raw.model),
  });
}

function bodyErrorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const e = error as { code?: unknown; message?: unknown };
    const code = e.code === undefined ? '' : `[${String(e.code)}] `;
    return `${code}${typeof e.message === 'string' ? e.message : 'error in response body'}`;
  }
  return String(error);
}
