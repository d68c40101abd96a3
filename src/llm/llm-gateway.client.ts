import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { backoffDelayMs, sleep as defaultSleep } from './backoff';
import { classifyError, type AbortCause } from './classify-error';
import { estimateUsage } from './estimate-usage';
import { KIND_POLICY, LlmChainFailedError, LlmError } from './llm-error';
import type {
  LlmAttemptRecord,
  LlmGatewayOptions,
  LlmOutcome,
  LlmRequest,
  LlmResult,
  LlmUsage,
} from './llm.types';
import type { ParsedAnswer } from './parsed-answer';
import { readCompletion } from './read-completion';
import { SdkClientCache } from './sdk-clients';

/**
 * Our timer covers the whole attempt (body included); the SDK's only covers the
 * wait for headers. The SDK's gets headroom so ours fires first and the cause is known.
 */
const SDK_TIMEOUT_HEADROOM_MS = 1_000;
/** SDK clients kept for per-tenant keys (least recently used dropped first). */
const MAX_CACHED_CLIENTS = 100;

/** OpenRouter-only body field: ask for token counts and cost in the response. */
interface OpenRouterExtras {
  usage: { include: true };
}

interface AttemptContext {
  request: LlmRequest;
  model: string;
  modelIndex: number;
  modelAttempt: number;
  attempt: number;
  deadlineAt: number;
}

type AttemptOutcome =
  | { answer: ParsedAnswer; usage: LlmUsage; record: LlmAttemptRecord }
  | { answer?: undefined; error: LlmError; record: LlmAttemptRecord };

/**
 * OpenRouter chat completions over the `openai` SDK, with the fallback policy of the product:
 * a chain of models, bounded retries with full-jitter backoff honouring Retry-After, a
 * per-attempt timeout and a per-call deadline, and an error taxonomy that says why a call
 * failed. Plain TypeScript: no Nest, no database.
 */
export class LlmGatewayClient {
  private readonly clients: SdkClientCache;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  private readonly attemptsPerModel: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly options: LlmGatewayOptions) {
    this.timeoutMs = options.timeoutMs;
    this.deadlineMs = options.deadlineMs;
    this.attemptsPerModel = Math.max(1, options.attemptsPerModel);
    this.backoffBaseMs = options.backoffBaseMs;
    this.backoffMaxMs = options.backoffMaxMs;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.clients = new SdkClientCache({
      baseUrl: options.baseUrl,
      timeoutMs: this.timeoutMs + SDK_TIMEOUT_HEADROOM_MS,
      appUrl: options.appUrl,
      appTitle: options.appTitle,
      maxClients: options.maxCachedClients ?? MAX_CACHED_CLIENTS,
    });
  }

  /**
   * One answer from the first model in the chain that gives one. Throws LlmChainFailedError
   * (an LlmError whose `kind` says why) when none does.
   */
  async complete(request: LlmRequest): Promise<LlmResult> {
    const models = [...new Set(request.models.map((m) => m.trim()).filter(Boolean))];
    const attempts: LlmAttemptRecord[] = [];
    if (models.length === 0) {
      throw this.failed(
        new LlmError({ kind: 'bad_request', providerMessage: 'empty model chain' }),
        attempts,
      );
    }
    const startedAt = this.now();
    const deadlineAt = Math.min(request.deadlineAt ?? Infinity, startedAt + this.deadlineMs);
    let lastError: LlmError | undefined;

    for (let modelIndex = 0; modelIndex < models.length; modelIndex++) {
      const isLastModel = modelIndex === models.length - 1;
      for (let modelAttempt = 1; modelAttempt <= this.attemptsPerModel; modelAttempt++) {
        if (request.signal?.aborted) {
          throw this.failed(
            new LlmError({ kind: 'aborted', providerMessage: 'cancelled by caller' }),
            attempts,
            lastError,
          );
        }
        if (this.now() >= deadlineAt) {
          throw this.failed(deadlineError(lastError), attempts, lastError);
        }
        const outcome = await this.attempt({
          request,
          model: models[modelIndex]!,
          modelIndex,
          modelAttempt,
          attempt: attempts.length + 1,
          deadlineAt,
        });
        attempts.push(outcome.record);
        this.emit(outcome.record);
        if (outcome.answer) {
          const { answer, usage } = outcome;
          return {
            message: { content: answer.content, toolCalls: answer.toolCalls },
            finishReason: answer.finishReason,
            model: models[modelIndex]!,
            modelIndex,
            usage,
            latencyMs: this.now() - startedAt,
            attempts,
            generationId: answer.generationId,
            provider: answer.provider,
            responseModel: answer.responseModel,
          };
        }
        const previous = lastError;
        lastError = outcome.error;
        if (!outcome.error.retryable) {
          // For a deadline, what went wrong before time ran out is the useful detail.
          const detail = outcome.error.kind === 'deadline' ? (previous ?? lastError) : lastError;
          throw this.failed(outcome.error, attempts, detail);
        }
        const wait = this.waitBeforeRetry(outcome.error, modelAttempt, isLastModel, deadlineAt);
        if (wait === undefined) break;
        await this.sleep(wait, request.signal);
      }
    }
    // Every model was tried (or skipped for lack of time): the last error is the reason.
    throw this.failed(lastError!, attempts, lastError);
  }

  /** How long to wait before retrying the same model, or undefined to move on now. */
  private waitBeforeRetry(
    error: LlmError,
    modelAttempt: number,
    isLastModel: boolean,
    deadlineAt: number,
  ): number | undefined {
    if (modelAttempt >= this.attemptsPerModel) return undefined;
    const policy = KIND_POLICY[error.kind].sameModel;
    if (policy === 'no' || (policy === 'if-last' && !isLastModel)) return undefined;
    let wait: number;
    if (error.retryAfterMs !== undefined) {
      // Retrying before Retry-After wastes a try; waiting longer than our cap wastes the
      // user's time when another model may answer right away.
      if (error.retryAfterMs > this.backoffMaxMs) return undefined;
      wait = error.retryAfterMs;
    } else {
      wait = backoffDelayMs(modelAttempt, this.backoffBaseMs, this.backoffMaxMs, this.random);
    }
    return this.now() + wait < deadlineAt ? wait : undefined;
  }

  private async attempt(ctx: AttemptContext): Promise<AttemptOutcome> {
    const { request } = ctx;
    const started = this.now();
    const remaining = ctx.deadlineAt - started;
    const budget = Math.max(1, Math.floor(Math.min(this.timeoutMs, remaining)));
    const cut: AbortCause = { timedOut: false, deadline: false, callerAborted: false };
    const controller = new AbortController();
    const timer = setTimeout(() => {
      cut.timedOut = true;
      cut.deadline = remaining <= this.timeoutMs;
      controller.abort();
    }, budget);
    const onCallerAbort = () => {
      cut.callerAborted = true;
      controller.abort();
    };
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      const client = this.clients.get(tenantKey(request) ?? this.options.apiKey);
      const answer = await this.plain(client, ctx, controller.signal, budget);
      const usage = answer.usage ?? estimateUsage(request, answer.content, answer.toolCalls);
      return {
        answer,
        usage,
        record: this.record(ctx, started, 'ok', { usage, provider: answer.provider }),
      };
    } catch (err) {
      const error = classifyError(err, cut, this.now());
      return {
        error,
        record: this.record(ctx, started, error.kind, {
          usage: error.usage,
          status: error.status,
          alert: error.alert,
          providerMessage: error.providerMessage,
        }),
      };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  private async plain(
    client: OpenAI,
    ctx: AttemptContext,
    signal: AbortSignal,
    budget: number,
  ): Promise<ParsedAnswer> {
    const body: ChatCompletionCreateParamsNonStreaming & OpenRouterExtras = this.body(ctx);
    const completion = await client.chat.completions.create(body, {
      signal,
      timeout: budget + SDK_TIMEOUT_HEADROOM_MS,
      maxRetries: 0,
    });
    return readCompletion(completion);
  }

  private body(ctx: AttemptContext): ChatCompletionCreateParamsNonStreaming & OpenRouterExtras {
    const { request } = ctx;
    return {
      model: ctx.model,
      messages: request.messages,
      max_tokens: request.maxTokens,
      ...(request.tools && request.tools.length > 0 ? { tools: request.tools } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.jsonMode ? { response_format: { type: 'json_object' as const } } : {}),
      usage: { include: true },
    };
  }

  private record(
    ctx: AttemptContext,
    started: number,
    outcome: LlmOutcome,
    extra: {
      usage?: LlmUsage;
      status?: number;
      alert?: boolean;
      providerMessage?: string;
      provider?: string | null;
    },
  ): LlmAttemptRecord {
    return {
      model: ctx.model,
      modelIndex: ctx.modelIndex,
      attempt: ctx.attempt,
      modelAttempt: ctx.modelAttempt,
      tenantId: ctx.request.tenantId ?? null,
      operation: ctx.request.operation,
      outcome,
      status: extra.status ?? null,
      promptTokens: extra.usage?.promptTokens ?? 0,
      completionTokens: extra.usage?.completionTokens ?? 0,
      totalTokens: extra.usage?.totalTokens ?? 0,
      costUsd: extra.usage?.costUsd ?? null,
      latencyMs: this.now() - started,
      keySource: tenantKey(ctx.request) ? 'tenant' : 'platform',
      alert: extra.alert ?? false,
      providerMessage: extra.providerMessage ?? null,
      provider: extra.provider ?? null,
    };
  }

  private emit(record: LlmAttemptRecord): void {
    try {
      this.options.onCall?.(record);
    } catch {
      // Logging or metrics failing must never cost the shop its answer.
    }
  }

  private failed(
    decisive: LlmError,
    attempts: LlmAttemptRecord[],
    lastError?: LlmError,
  ): LlmChainFailedError {
    return new LlmChainFailedError(decisive, [...attempts], lastError);
  }
}

/** A tenant's own key, if it has a usable one (an empty string from the DB is not). */
function tenantKey(request: LlmRequest): string | undefined {
  return request.apiKey?.trim() ? request.apiKey.trim() : undefined;
}

function deadlineError(lastError: LlmError | undefined): LlmError {
  return new LlmError({
    kind: 'deadline',
    providerMessage: lastError
      ? `deadline reached; last error: ${lastError.kind}: ${lastError.providerMessage}`
      : 'deadline reached before any attempt',
  });
}
