import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';

/**
 * Why an attempt (or a whole call) failed. The caller turns any failure into a predefined
 * answer (level 2); the kind says why, for logs, metrics and alerts.
 */
export type LlmErrorKind =
  /** 400 and other 4xx: our request or the input is wrong. Never retried. */
  | 'bad_request'
  /** 401: the key is invalid or disabled. */
  | 'auth'
  /** 403: moderation or guardrail refused the input. */
  | 'forbidden'
  /** 402: the account or key has no credits. */
  | 'no_credits'
  /** 404: the model id is unknown or has no endpoint: another model may work. */
  | 'model_not_found'
  /** 429. */
  | 'rate_limited'
  /** 408 from OpenRouter, or our per-attempt timeout. */
  | 'timeout'
  /** 502, 500, 504…: the model's provider is down or answered garbage. */
  | 'provider_unavailable'
  /** 503: no provider meets the routing requirements for this model. */
  | 'no_provider'
  /** Connection refused, reset or dropped. */
  | 'network'
  /** HTTP 200 that is not an answer: error object in the body, no choices, empty. */
  | 'provider_error'
  /** The call's deadline passed. */
  | 'deadline'
  /** The caller cancelled. */
  | 'aborted';

/** What a call is for; recorded with every attempt so usage and metrics can be split by it. */
export type LlmOperation = 'chat' | 'intent' | 'transcription' | 'test';

export interface LlmRequest {
  messages: ChatCompletionMessageParam[];
  tools?: ChatCompletionTool[];
  /** Model chain: the first is the default (level 1), the rest are fallbacks (level 1b). */
  models: string[];
  maxTokens: number;
  /** The tenant's own OpenRouter key, used instead of the platform key for this call only. */
  apiKey?: string;
  tenantId?: string;
  operation: LlmOperation;
  /** Epoch ms after which no attempt starts or continues; the gateway's own deadline also applies. */
  deadlineAt?: number;
  temperature?: number;
  /** Ask for a JSON object back (response_format json_object), e.g. a classification. */
  jsonMode?: boolean;
  /** Cancels the call (e.g. the worker shuts down); surfaces as kind `aborted`. */
  signal?: AbortSignal;
}

export interface LlmToolCall {
  id: string;
  name: string;
  /** JSON text as the model produced it; validating it is the tool layer's job. */
  arguments: string;
}

export type LlmFinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter';

export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** USD as OpenRouter reports it; null when the response did not say. */
  costUsd: number | null;
  /** True when the response carried no usage and tokens were estimated (chars/4). */
  estimated: boolean;
}

export interface LlmResult {
  message: { content: string | null; toolCalls: LlmToolCall[] };
  finishReason: LlmFinishReason;
  /** The chain entry that answered (as requested, so it matches configuration). */
  model: string;
  /** 0 = the default model (level 1); > 0 = a fallback (level 1b). */
  modelIndex: number;
  usage: LlmUsage;
  /** Whole call, retries and waits included. */
  latencyMs: number;
  attempts: LlmAttemptRecord[];
  /** OpenRouter's generation id (for support tickets and /generation lookups). */
  generationId: string | null;
  /** Upstream provider and exact model OpenRouter routed to. */
  provider: string | null;
  responseModel: string | null;
}

export type LlmOutcome = 'ok' | LlmErrorKind;

/**
 * One HTTP attempt against OpenRouter. Emitted through `onCall` for logs and metrics; holds no
 * API key and no message contents.
 */
export interface LlmAttemptRecord {
  model: string;
  modelIndex: number;
  /** 1-based across the whole call. */
  attempt: number;
  /** 1-based on this model. */
  modelAttempt: number;
  tenantId: string | null;
  operation: LlmOperation;
  outcome: LlmOutcome;
  /** HTTP status when the failure had one (2xx bodies carrying errors have none). */
  status: number | null;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: number | null;
  latencyMs: number;
  keySource: 'platform' | 'tenant';
  /** An operator has to act (no credits, key rejected): alert, do not just count. */
  alert: boolean;
  /** The provider's error text (never our prompt); null on success. */
  providerMessage: string | null;
  provider: string | null;
}

export interface LlmGatewayOptions {
  baseUrl: string;
  /** Platform OpenRouter key; a request's `apiKey` overrides it. */
  apiKey: string;
  /** Per attempt, headers and body included (LLM_TIMEOUT_MS). */
  timeoutMs: number;
  /** Per call, all attempts and waits included (LLM_DEADLINE_MS). */
  deadlineMs: number;
  /** Tries on one model before the next in the chain (LLM_ATTEMPTS_PER_MODEL). */
  attemptsPerModel: number;
  /** Full-jitter exponential backoff: wait = random × min(max, base × 2^(try-1)). */
  backoffBaseMs: number;
  /** Also the longest Retry-After the gateway waits out on the same model. */
  backoffMaxMs: number;
  /** Sent as HTTP-Referer / X-Title (OpenRouter's app attribution). */
  appUrl: string;
  appTitle: string;
  /** Called once per attempt; exceptions thrown here are swallowed. */
  onCall?: (record: LlmAttemptRecord) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** SDK clients kept for per-tenant keys (least recently used dropped first). Default 100. */
  maxCachedClients?: number;
}
