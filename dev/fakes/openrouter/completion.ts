import { costUsd, estimateCompletionTokens, estimatePromptTokens, tokensForText } from './usage';
import type { ChatRequestBody, FakeModel, FinishReason } from './types';

/**
 * Builds OpenRouter-shaped bodies (non-streaming completion and streaming chunks) from an
 * answer that has already been decided. Pure: the server only moves these over the wire.
 */

export interface ResolvedToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ResolvedAnswer {
  id: string;
  created: number;
  model: string;
  provider: string;
  content: string | null;
  toolCalls: ResolvedToolCall[];
  finishReason: FinishReason;
  usage: WireUsage;
}

export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost?: number;
  is_byok: boolean;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  cost_details: { upstream_inference_cost: number | null };
  completion_tokens_details: { reasoning_tokens: number; image_tokens: number };
}

const CHARS_PER_TOKEN = 4;

/** Cuts content that exceeds `max_tokens`, like a provider that stops mid-sentence. */
export function applyMaxTokens(
  content: string | null,
  finishReason: FinishReason,
  body: ChatRequestBody,
): { content: string | null; finishReason: FinishReason } {
  const limit = body.max_tokens ?? body.max_completion_tokens;
  if (content === null || typeof limit !== 'number' || tokensForText(content) <= limit) {
    return { content, finishReason };
  }
  return {
    content: content.slice(0, Math.max(0, limit) * CHARS_PER_TOKEN),
    finishReason: 'length',
  };
}

export function buildUsage(
  models: FakeModel[],
  model: string,
  body: ChatRequestBody,
  content: string | null,
  toolCalls: ResolvedToolCall[],
  override?: { promptTokens?: number; completionTokens?: number; cost?: number | null },
): WireUsage {
  const prompt = override?.promptTokens ?? estimatePromptTokens(body);
  const completion = override?.completionTokens ?? estimateCompletionTokens(content, toolCalls);
  const cost =
    override?.cost === null
      ? undefined
      : (override?.cost ?? costUsd(models, model, prompt, completion));
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(cost === undefined ? {} : { cost }),
    is_byok: false,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    cost_details: { upstream_inference_cost: null },
    completion_tokens_details: { reasoning_tokens: 0, image_tokens: 0 },
  };
}

/** The provider's own finish reason, which OpenRouter passes through next to the normalised one. */
export function nativeFinishReason(model: string, reason: FinishReason | 'error'): string {
  if (!model.startsWith('anthropic/')) return reason;
  const anthropic: Record<string, string> = {
    stop: 'end_turn',
    tool_calls: 'tool_use',
    length: 'max_tokens',
    content_filter: 'refusal',
    error: 'error',
  };
  return anthropic[reason] ?? reason;
}

export function completionBody(answer: ResolvedAnswer): Record<string, unknown> {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: answer.content,
    refusal: null,
    reasoning: null,
  };
  if (answer.toolCalls.length > 0) {
    message.tool_calls = answer.toolCalls.map((c) => ({
      id: c.id,
      type: 'function',
      index: answer.toolCalls.indexOf(c),
      function: { name: c.name, arguments: c.arguments },
    }));
  }
  return {
    id: answer.id,
    provider: answer.provider,
    model: answer.model,
    object: 'chat.completion',
    created: answer.created,
    choices: [
      {
        logprobs: null,
        finish_reason: answer.finishReason,
        native_finish_reason: nativeFinishReason(answer.model, answer.finishReason),
        index: 0,
        message,
      },
    ],
    usage: answer.usage,
  };
}

export function envelope(
  answer: Pick<ResolvedAnswer, 'id' | 'created' | 'model' | 'provider'>,
  object: 'chat.completion' | 'chat.completion.chunk',
): Record<string, unknown> {
  return {
    id: answer.id,
    provider: answer.provider,
    model: answer.model,
    object,
    created: answer.created,
  };
}

function chunk(
  answer: ResolvedAnswer,
  delta: Record<string, unknown>,
  finishReason: FinishReason | null = null,
): Record<string, unknown> {
  return {
    ...envelope(answer, 'chat.completion.chunk'),
    choices: [
      {
        index: 0,
        delta,
        finish_reason: finishReason,
        native_finish_reason: finishReason && nativeFinishReason(answer.model, finishReason),
        logprobs: null,
      },
    ],
  };
}

/** Word-sized content pieces, so clients see several deltas even for short answers. */
export function splitContent(content: string): string[] {
  return content.match(/\S+\s*|\s+/g) ?? [];
}

function splitArguments(args: string, size = 12): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < args.length; i += size) pieces.push(args.slice(i, i + size));
  return pieces.length > 0 ? pieces : [''];
}

/**
 * Every data chunk of a streamed answer, in order: role, content pieces, per tool call a
 * header (id, name) then argument pieces, the finish chunk, and a last chunk carrying usage.
 */
export function streamChunks(answer: ResolvedAnswer): Record<string, unknown>[] {
  const chunks: Record<string, unknown>[] = [chunk(answer, { role: 'assistant', content: '' })];
  for (const piece of splitContent(answer.content ?? '')) {
    chunks.push(chunk(answer, { content: piece }));
  }
  answer.toolCalls.forEach((call, index) => {
    chunks.push(
      chunk(answer, {
        tool_calls: [
          { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
        ],
      }),
    );
    for (const piece of splitArguments(call.arguments)) {
      chunks.push(chunk(answer, { tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  chunks.push(chunk(answer, {}, answer.finishReason));
  chunks.push({ ...envelope(answer, 'chat.completion.chunk'), choices: [], usage: answer.usage });
  return chunks;
}

/** The event OpenRouter sends when the provider fails after the stream has started. */
export function streamErrorChunk(
  answer: ResolvedAnswer,
  code: number | string,
  message: string,
): Record<string, unknown> {
  return {
    ...envelope(answer, 'chat.completion.chunk'),
    error: { code, message },
    choices: [
      {
        index: 0,
        delta: { content: '' },
        finish_reason: 'error',
        native_finish_reason: 'error',
      },
    ],
  };
}
