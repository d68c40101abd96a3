import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { LlmError } from './llm-error';
import type { LlmUsage } from './llm.types';
import {
  assertUsable,
  finishReasonFrom,
  stringOrNull,
  usageFrom,
  type ParsedAnswer,
} from './parsed-answer';

interface PartialToolCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Builds one answer out of SSE chunks: text deltas appended, tool calls assembled by index
 * (id and name arrive once, arguments in pieces), usage taken from the last chunk carrying it.
 */
export class StreamAccumulator {
  private content = '';
  private sawContent = false;
  private readonly toolCalls = new Map<number, PartialToolCall>();
  private finishReason: string | null = null;
  private usage: LlmUsage | null = null;
  private generationId: string | null = null;
  private provider: string | null = null;
  private responseModel: string | null = null;

  add(chunk: ChatCompletionChunk): void {
    const raw = chunk as ChatCompletionChunk & { provider?: unknown; error?: unknown };
    this.generationId ??= stringOrNull(raw.id);
    this.provider ??= stringOrNull(raw.provider);
    this.responseModel ??= stringOrNull(raw.model);
    const usage = usageFrom(raw.usage);
    if (usage) this.usage = usage;
    if (raw.error !== undefined && raw.error !== null) {
      // The SDK normally throws on these itself; kept so the rule holds whatever parses the stream.
      throw new LlmError({ kind: 'provider_error', providerMessage: 'error event in stream' });
    }
    for (const choice of raw.choices ?? []) {
      if (choice.index !== 0) continue;
      const delta = choice.delta;
      if (typeof delta?.content === 'string') {
        this.content += delta.content;
        this.sawContent ||= delta.content !== '';
      }
      for (const piece of delta?.tool_calls ?? []) {
        const call = this.toolCalls.get(piece.index) ?? { id: '', name: '', arguments: '' };
        if (piece.id && !call.id) call.id = piece.id;
        // Some providers repeat the whole name on every piece; it is never split.
        if (piece.function?.name && !call.name) call.name = piece.function.name;
        if (piece.function?.arguments) call.arguments += piece.function.arguments;
        this.toolCalls.set(piece.index, call);
      }
      if ((choice.finish_reason as string | null) === 'error') {
        throw new LlmError({
          kind: 'provider_error',
          providerMessage: 'stream finished with finish_reason "error"',
          usage: this.usage ?? undefined,
        });
      }
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
  }

  /** The answer, or a provider_error when the stream ended without saying it was done. */
  finish(): ParsedAnswer {
    if (this.finishReason === null) {
      throw new LlmError({
        kind: 'provider_error',
        providerMessage: 'stream ended without a finish_reason',
        usage: this.usage ?? undefined,
      });
    }
    const toolCalls = [...this.toolCalls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => ({
        id: c.id || `call_${index}`,
        name: c.name,
        arguments: c.arguments,
      }))
      .filter((c) => c.name !== '');
    return assertUsable({
      content: this.sawContent ? this.content : null,
      toolCalls,
      finishReason: finishReasonFrom(this.finishReason, toolCalls.length > 0, this.usage),
      usage: this.usage,
      generationId: this.generationId,
      provider: this.provider,
      responseModel: this.responseModel,
    });
  }
}
