import OpenAI, { toFile } from 'openai';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
} from 'openai/resources/chat/completions';
import { backoffDelayMs, sleep as defaultSleep } from '../llm/backoff';
import { classifyError, type AbortCause } from '../llm/classify-error';
import { KIND_POLICY, LlmError } from '../llm/llm-error';
import type { LlmAttemptRecord, LlmOutcome, LlmUsage } from '../llm/llm.types';
import { finishReasonFrom, stringOrNull, usageFrom } from '../llm/parsed-answer';
import { SdkClientCache } from '../llm/sdk-clients';
import { cleanTranscript } from './transcript-text';
import { TranscriptionFailedError } from './transcription-error';
import {
  TRANSCRIPTION_INSTRUCTION,
  transcriptionPromptTokens,
  transcriptMaxTokens,
} from './transcription-tokens';

export type TranscriptionBackend = 'openrouter' | 'openai-compatible';

export interface TranscriptionClientOptions {
  /**
   * 'openrouter': chat completions with an input_audio part (an audio-capable chat model).
   * 'openai-compatible': POST {baseUrl}/audio/transcriptions, multipart (e.g. whisper).
   */
  backend: TranscriptionBackend;
  baseUrl: string;
  /** The platform key (OpenRouter) or the server's key; undefined sends no Authorization. */
  apiKey: string | undefined;
  model: string;
  /** Per attempt, body included. */
  timeoutMs: number;
  /** Tries per call on retryable errors (1 = no retry). */
  attempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** OpenRouter's app attribution headers. */
  appUrl?: string;
  appTitle?: string;
  /** One record per attempt (operation 'transcription'): logs, metrics. Errors here are ignored. */
  onCall?: (record: LlmAttemptRecord) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface TranscriptionRequest {
  /** 16 kHz mono 16-bit WAV (prepareVoiceNote's output). */
  wav: Buffer;
  durationSeconds: number;
  /** A shop's own OpenRouter key, instead of the platform's (OpenRouter backend only). */
  apiKey?: string;
  tenantId?: string;
  signal?: AbortSignal;
}

export interface TranscriptionResult {
  /** Cleaned transcript; '' when the model heard no words. */
  text: string;
  model: string;
  /** Tokens and cost of the successful attempt (`estimated` when the backend reported none). */
  usage: LlmUsage;
  /** The whole call, retries and waits included. */
  latencyMs: number;
  durationSeconds: number;
  /** The model stopped at max_tokens: the transcript may be cut short. */
  truncated: boolean;
  backend: TranscriptionBackend;
  attempts: LlmAttemptRecord[];
  /** OpenRouter's generation id, for support tickets. */
  generationId: string | null;
}

/** OpenRouter-only body fields. */
interface OpenRouterExtras {
  usage: { include: true };
  /** Thinking adds cost and latency and nothing to a transcript; ignored by models without it. */
  reasoning: { enabled: false };
}

/** One successful attempt, before the call-level fields are added. */
export interface AttemptAnswer {
  text: string;
  usage: LlmUsage;
  truncated: boolean;
  generationId: string | null;
  provider: string | null;
}

/** Our timer must fire before the SDK's so the cause of a cut is known (as in LlmGateway). */
const SDK_TIMEOUT_HEADROOM_MS = 1_000;
const CHARS_PER_TOKEN = 4;

/**
 * Voice note → text through the `openai` SDK, against OpenRouter (default) or any
 * OpenAI-compatible transcription server. A per-attempt timeout, bounded retries with
 * full-jitter backoff (honouring Retry-After) on retryable errors only, and the LLM
 * gateway's error taxonomy: failures throw TranscriptionFailedError, an LlmError whose
 * `kind` says why. Plain TypeScript: no Nest, no database.
 */
export class TranscriptionClient {
  private readonly openRouterClients: SdkClientCache;
  private serverClient: OpenAI | undefined;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly options: TranscriptionClientOptions) {
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.openRouterClients = new SdkClientCache({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs + SDK_TIMEOUT_HEADROOM_MS,
      appUrl: options.appUrl ?? 'https://changarrito.app',
      appTitle: options.appTitle ?? 'Changarrito Assistant',
      maxClients: 100,
    });
  }

  get backend(): TranscriptionBackend {
    return this.options.backend;
  }

  get model(): string {
    return this.options.model;
  }

  async transcribe(request: TranscriptionRequest): Promise<TranscriptionResult> {
    const startedAt = this.now();
    const attempts: LlmAttemptRecord[] = [];
    const maxAttempts = Math.max(1, Math.floor(this.options.attempts));
    for (let attempt = 1; ; attempt++) {
      if (request.signal?.aborted) {
        throw new TranscriptionFailedError(
          new LlmError({ kind: 'aborted', providerMessage: 'cancelled by caller' }),
          attempts,
        );
      }
      const outcome = await this.attempt(request, attempt);
      attempts.push(outcome.record);
      this.emit(outcome.record);
      if (outcome.answer) {
        return {
          ...outcome.answer,
          model: this.options.model,
          latencyMs: this.now() - startedAt,
          durationSeconds: request.durationSeconds,
          backend: this.options.backend,
          attempts,
        };
      }
      const wait = this.waitBeforeRetry(outcome.error, attempt, maxAttempts);
      if (wait === undefined) throw new TranscriptionFailedError(outcome.error, attempts);
      await this.sleep(wait, request.signal);
    }
  }

  /** How long to wait before the next try, or undefined to give up now. */
  private waitBeforeRetry(error: LlmError, attempt: number, maxAttempts: number) {
    if (attempt >= maxAttempts || !error.retryable) return undefined;
    // With a single model, "prefer the next model" means "retry this one".
    if (KIND_POLICY[error.kind].sameModel === 'no') return undefined;
    if (error.retryAfterMs !== undefined) {
      return error.retryAfterMs > this.options.backoffMaxMs ? undefined : error.retryAfterMs;
    }
    return backoffDelayMs(
      attempt,
      this.options.backoffBaseMs,
      this.options.backoffMaxMs,
      this.random,
    );
  }

  private async attempt(
    request: TranscriptionRequest,
    attempt: number,
  ): Promise<
    | { answer: AttemptAnswer; record: LlmAttemptRecord }
    | { answer?: undefined; error: LlmError; record: LlmAttemptRecord }
  > {
    const started = this.now();
    const cut: AbortCause = { timedOut: false, deadline: false, callerAborted: false };
    const controller = new AbortController();
    const timer = setTimeout(() => {
      cut.timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    const onCallerAbort = () => {
      cut.callerAborted = true;
      controller.abort();
    };
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      const answer =
        this.options.backend === 'openrouter'
          ? await this.viaChat(request, controller.signal)
          : await this.viaTranscriptions(request, controller.signal);
      return { answer, record: this.record(request, attempt, started, 'ok', answer.usage, answer) };
    } catch (err) {
      const error = classifyError(err, cut, this.now());
      return {
        error,
        record: this.record(request, attempt, started, error.kind, error.usage, undefined, error),
      };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** OpenRouter: one user message, the instruction and the audio as an input_audio part. */
  private async viaChat(
    request: TranscriptionRequest,
    signal: AbortSignal,
  ): Promise<AttemptAnswer> {
    const apiKey = tenantKey(request) ?? this.options.apiKey;
    if (!apiKey) {
      throw new LlmError({ kind: 'auth', providerMessage: 'no OpenRouter key configured' });
    }
    const body: ChatCompletionCreateParamsNonStreaming & OpenRouterExtras = {
      model: this.options.model,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: TRANSCRIPTION_INSTRUCTION },
            {
              type: 'input_audio',
              input_audio: { data: request.wav.toString('base64'), format: 'wav' },
            },
          ],
        },
      ],
      max_tokens: transcriptMaxTokens(request.durationSeconds),
      temperature: 0,
      usage: { include: true },
      reasoning: { enabled: false },
    };
    const completion = await this.openRouterClients.get(apiKey).chat.completions.create(body, {
      signal,
      timeout: this.options.timeoutMs + SDK_TIMEOUT_HEADROOM_MS,
      maxRetries: 0,
    });
    return readTranscriptCompletion(completion, request.durationSeconds);
  }

  /** OpenAI-compatible POST /audio/transcriptions, multipart: file + model. */
  private async viaTranscriptions(
    request: TranscriptionRequest,
    signal: AbortSignal,
  ): Promise<AttemptAnswer> {
    const file = await toFile(request.wav, 'voice-note.wav', { type: 'audio/wav' });
    const result = await this.server().audio.transcriptions.create(
      { file, model: this.options.model, language: 'es', response_format: 'json', temperature: 0 },
      { signal, timeout: this.options.timeoutMs + SDK_TIMEOUT_HEADROOM_MS, maxRetries: 0 },
    );
    const text = cleanTranscript(typeof result.text === 'string' ? result.text : '');
    const usage = result.usage;
    return {
      text,
      usage:
        usage?.type === 'tokens'
          ? {
              promptTokens: usage.input_tokens,
              completionTokens: usage.output_tokens,
              totalTokens: usage.total_tokens,
              costUsd: null,
              estimated: false,
            }
          : estimatedUsage(request.durationSeconds, text),
      truncated: false,
      generationId: null,
      provider: null,
    };
  }

  private server(): OpenAI {
    this.serverClient ??= new OpenAI({
      // The SDK insists on a key; with none configured the header is removed below.
      apiKey: this.options.apiKey ?? 'unused',
      baseURL: this.options.baseUrl,
      maxRetries: 0,
      timeout: this.options.timeoutMs + SDK_TIMEOUT_HEADROOM_MS,
      logLevel: 'off',
      ...(this.options.apiKey ? {} : { defaultHeaders: { Authorization: null } }),
    });
    return this.serverClient;
  }

  private record(
    request: TranscriptionRequest,
    attempt: number,
    started: number,
    outcome: LlmOutcome,
    usage: LlmUsage | undefined,
    answer?: AttemptAnswer,
    error?: LlmError,
  ): LlmAttemptRecord {
    return {
      model: this.options.model,
      modelIndex: 0,
      attempt,
      modelAttempt: attempt,
      tenantId: request.tenantId ?? null,
      operation: 'transcription',
      outcome,
      status: error?.status ?? null,
      promptTokens: usage?.promptTokens ?? 0,
      completionTokens: usage?.completionTokens ?? 0,
      totalTokens: usage?.totalTokens ?? 0,
      costUsd: usage?.costUsd ?? null,
      latencyMs: this.now() - started,
      keySource:
        this.options.backend === 'openrouter' && tenantKey(request) ? 'tenant' : 'platform',
      alert: error?.alert ?? false,
      providerMessage: error?.providerMessage ?? null,
      provider: answer?.provider ?? null,
    };
  }

  private emit(record: LlmAttemptRecord): void {
    try {
      this.options.onCall?.(record);
    } catch {
      // Logging or metrics failing must not cost the shop its transcript.
    }
  }
}

/**
 * A chat completion → the transcript. Unlike a chat answer, an empty one is valid (the note
 * had no words); an error body, no choices or finish_reason "error" are failed attempts.
 */
export function readTranscriptCompletion(
  body: ChatCompletion,
  durationSeconds: number,
): AttemptAnswer {
  const raw = body as ChatCompletion & { error?: unknown; provider?: unknown };
  const reported = usageFrom(raw.usage);
  if (raw.error !== undefined && raw.error !== null) {
    throw new LlmError({
      kind: 'provider_error',
      providerMessage: errorMessage(raw.error),
      usage: reported ?? undefined,
    });
  }
  const choice = Array.isArray(raw.choices) ? raw.choices[0] : undefined;
  if (!choice) {
    throw new LlmError({
      kind: 'provider_error',
      providerMessage: 'response had no choices',
      usage: reported ?? undefined,
    });
  }
  const finishReason = finishReasonFrom(choice.finish_reason, false, reported);
  const text = cleanTranscript(
    typeof choice.message?.content === 'string' ? choice.message.content : '',
  );
  return {
    text,
    usage: reported ?? estimatedUsage(durationSeconds, text),
    truncated: finishReason === 'length',
    generationId: stringOrNull(raw.id),
    provider: stringOrNull(raw.provider),
  };
}

/** When the backend reports no usage: the prompt as reserved, the transcript at chars/4. */
function estimatedUsage(durationSeconds: number, text: string): LlmUsage {
  const promptTokens = transcriptionPromptTokens(durationSeconds);
  const completionTokens = Math.min(
    Math.ceil(text.length / CHARS_PER_TOKEN),
    transcriptMaxTokens(durationSeconds),
  );
  return {
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    costUsd: null,
    estimated: true,
  };
}

function tenantKey(request: TranscriptionRequest): string | undefined {
  return request.apiKey?.trim() ? request.apiKey.trim() : undefined;
}

function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const e = error as { code?: unknown; message?: unknown };
    const code = e.code === undefined ? '' : `[${String(e.code)}] `;
    return `${code}${typeof e.message === 'string' ? e.message : 'error in response body'}`;
  }
  return String(error);
}
