import type { ChatRequestBody, FakeModel, FakeToolCall } from './types';

/**
 * Token and cost accounting of the fake. Real tokenizers differ per model; the fake uses
 * chars/4 so numbers are realistic in size and exactly reproducible in tests and benchmarks.
 */

const CHARS_PER_TOKEN = 4;
/** Role markers and separators every chat template adds per message. */
const TOKENS_PER_MESSAGE = 4;

/** Models the fake lists on GET /models; prices are USD per token (OpenRouter's format). */
export const DEFAULT_MODELS: FakeModel[] = [
  model('anthropic/claude-3-haiku', 'Anthropic: Claude 3 Haiku', 200_000, 0.00000025, 0.00000125),
  model('openai/gpt-3.5-turbo', 'OpenAI: GPT-3.5 Turbo', 16_385, 0.0000005, 0.0000015),
  model('openai/gpt-4o-mini', 'OpenAI: GPT-4o-mini', 128_000, 0.00000015, 0.0000006),
  model('anthropic/claude-3.5-sonnet', 'Anthropic: Claude 3.5 Sonnet', 200_000, 0.000003, 0.000015),
  model('google/gemini-flash-1.5', 'Google: Gemini Flash 1.5', 1_000_000, 0.000000075, 0.0000003),
  // Audio-capable (input_audio): the default TRANSCRIPTION_MODEL.
  model('google/gemini-2.5-flash', 'Google: Gemini 2.5 Flash', 1_048_576, 0.0000003, 0.0000025),
];

/** Used for models not in the catalog, so any model id gets a plausible cost. */
const FALLBACK_PRICING = { prompt: 0.000001, completion: 0.000002 };

function model(
  id: string,
  name: string,
  contextLength: number,
  prompt: number,
  completion: number,
): FakeModel {
  return {
    id,
    name,
    context_length: contextLength,
    pricing: { prompt: prompt.toFixed(10), completion: completion.toFixed(10) },
  };
}

export function tokensForText(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** chars/4 of every message's text (and tool calls) plus the tool schemas, plus per-message overhead. */
export function estimatePromptTokens(body: ChatRequestBody): number {
  let chars = 0;
  const messages = body.messages ?? [];
  for (const m of messages) {
    chars += textOf(m.content).length;
    for (const call of m.tool_calls ?? []) {
      chars += (call.function?.name ?? '').length + (call.function?.arguments ?? '').length;
    }
  }
  if (body.tools && body.tools.length > 0) chars += JSON.stringify(body.tools).length;
  return Math.ceil(chars / CHARS_PER_TOKEN) + TOKENS_PER_MESSAGE * messages.length;
}

export function estimateCompletionTokens(
  content: string | null,
  toolCalls: { name: string; arguments: string }[],
): number {
  let chars = (content ?? '').length;
  for (const c of toolCalls) chars += c.name.length + c.arguments.length;
  return Math.max(1, Math.ceil(chars / CHARS_PER_TOKEN));
}

export function costUsd(
  models: FakeModel[],
  modelId: string,
  promptTokens: number,
  completionTokens: number,
): number {
  const found = models.find((m) => m.id === modelId);
  const prompt = found ? Number(found.pricing.prompt) : FALLBACK_PRICING.prompt;
  const completion = found ? Number(found.pricing.completion) : FALLBACK_PRICING.completion;
  // Rounded so float noise never shows up in assertions or stored amounts.
  return Math.round((promptTokens * prompt + completionTokens * completion) * 1e10) / 1e10;
}

/** Message content may be a string or an array of parts; only text parts count here. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      part && typeof part === 'object' && 'text' in part && typeof part.text === 'string'
        ? part.text
        : '',
    )
    .join('');
}

export function serialiseArguments(call: FakeToolCall): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
}
