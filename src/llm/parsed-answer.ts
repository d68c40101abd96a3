import { LlmError } from './llm-error';
import type { LlmFinishReason, LlmToolCall, LlmUsage } from './llm.types';

/** One attempt's answer, read from the JSON body. */
export interface ParsedAnswer {
  content: string | null;
  toolCalls: LlmToolCall[];
  finishReason: LlmFinishReason;
  /** Null when the response carried no usage (the gateway then estimates). */
  usage: LlmUsage | null;
  generationId: string | null;
  provider: string | null;
  responseModel: string | null;
}

/** OpenRouter's usage object: OpenAI's fields plus `cost` in USD. */
export function usageFrom(raw: unknown): LlmUsage | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const u = raw as Record<string, unknown>;
  const prompt = nonNegative(u.prompt_tokens);
  const completion = nonNegative(u.completion_tokens);
  if (prompt === undefined && completion === undefined) return null;
  const promptTokens = prompt ?? 0;
  const completionTokens = completion ?? 0;
  return {
    promptTokens,
    completionTokens,
    totalTokens: nonNegative(u.total_tokens) ?? promptTokens + completionTokens,
    costUsd: nonNegative(u.cost) ?? null,
    estimated: false,
  };
}

function nonNegative(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

const KNOWN_FINISH: readonly string[] = ['stop', 'tool_calls', 'length', 'content_filter'];

/**
 * OpenRouter normalises finish reasons; "error" means the provider failed mid-answer and is
 * never an answer. Anything unknown is read from what came back.
 */
export function finishReasonFrom(
  raw: string | null | undefined,
  hasToolCalls: boolean,
  usage: LlmUsage | null,
): LlmFinishReason {
  if (raw === 'error') {
    throw new LlmError({
      kind: 'provider_error',
      providerMessage: 'finish_reason "error"',
      usage: usage ?? undefined,
    });
  }
  if (raw && KNOWN_FINISH.includes(raw)) return raw as LlmFinishReason;
  if (raw === 'function_call') return 'tool_calls';
  return hasToolCalls ? 'tool_calls' : 'stop';
}

/** An answer with neither text nor tool calls is a provider failure, not a silent reply. */
export function assertUsable(answer: ParsedAnswer): ParsedAnswer {
  const hasText = typeof answer.content === 'string' && answer.content.trim() !== '';
  if (!hasText && answer.toolCalls.length === 0) {
    throw new LlmError({
      kind: 'provider_error',
      providerMessage: `empty answer (finish_reason ${answer.finishReason})`,
      usage: answer.usage ?? undefined,
    });
  }
  return answer;
}

export function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
