import type { LlmAttemptRecord, LlmUsage } from './llm.types';

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
  /** HTTP 200 that is not an answer: error object in the body or the stream, no choices, empty. */
  | 'provider_error'
  /** The call's deadline passed. */
  | 'deadline'
  /** The caller cancelled. */
  | 'aborted';

interface KindPolicy {
  /** Another attempt (this model or the next) may succeed. */
  retryable: boolean;
  /**
   * Whether to retry on the same model: 'yes'; 'if-last' = prefer the next model and retry here
   * only when none is left (a timeout or a routing gap is likely to repeat on the same model).
   */
  sameModel: 'yes' | 'if-last' | 'no';
  /** An operator must act. */
  alert: boolean;
}

export const KIND_POLICY: Record<LlmErrorKind, KindPolicy> = {
  bad_request: { retryable: false, sameModel: 'no', alert: false },
  auth: { retryable: false, sameModel: 'no', alert: true },
  forbidden: { retryable: false, sameModel: 'no', alert: false },
  no_credits: { retryable: false, sameModel: 'no', alert: true },
  model_not_found: { retryable: true, sameModel: 'no', alert: false },
  rate_limited: { retryable: true, sameModel: 'yes', alert: false },
  timeout: { retryable: true, sameModel: 'if-last', alert: false },
  provider_unavailable: { retryable: true, sameModel: 'yes', alert: false },
  no_provider: { retryable: true, sameModel: 'if-last', alert: false },
  network: { retryable: true, sameModel: 'yes', alert: false },
  provider_error: { retryable: true, sameModel: 'yes', alert: false },
  deadline: { retryable: false, sameModel: 'no', alert: false },
  aborted: { retryable: false, sameModel: 'no', alert: false },
};

export interface LlmErrorInit {
  kind: LlmErrorKind;
  status?: number;
  providerMessage: string;
  retryAfterMs?: number;
  /** Moderation reasons and the like, with anything echoing user input removed. */
  metadata?: Record<string, unknown>;
  /** Tokens the provider reported for a failed attempt (they may still be billed). */
  usage?: LlmUsage;
  cause?: unknown;
}

/** One failed attempt, classified. */
export class LlmError extends Error {
  override name = 'LlmError';
  readonly kind: LlmErrorKind;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly alert: boolean;
  readonly providerMessage: string;
  readonly retryAfterMs: number | undefined;
  readonly metadata: Record<string, unknown> | undefined;
  readonly usage: LlmUsage | undefined;

  constructor(init: LlmErrorInit, message?: string) {
    super(
      message ?? `${init.kind}${init.status ? ` (${init.status})` : ''}: ${init.providerMessage}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.kind = init.kind;
    this.status = init.status;
    this.retryable = KIND_POLICY[init.kind].retryable;
    this.alert = KIND_POLICY[init.kind].alert;
    this.providerMessage = init.providerMessage;
    this.retryAfterMs = init.retryAfterMs;
    this.metadata = init.metadata;
    this.usage = init.usage;
  }
}

/**
 * What `LlmGateway.complete` throws: the call produced no answer. `kind` is the decisive
 * reason (the non-retryable error that stopped the chain, `deadline`, or the last model's
 * error once every model was tried); `attempts` holds every attempt made.
 */
export class LlmChainFailedError extends LlmError {
  override name = 'LlmChainFailedError';
  readonly attempts: LlmAttemptRecord[];
  /** The last attempt's error (for `deadline`, what was going wrong before time ran out). */
  readonly lastError: LlmError | undefined;
  readonly modelsTried: string[];

  constructor(decisive: LlmError, attempts: LlmAttemptRecord[], lastError?: LlmError) {
    const modelsTried = [...new Set(attempts.map((a) => a.model))];
    const status = decisive.status ? ` (${decisive.status})` : '';
    const where = modelsTried.length > 0 ? ` on ${modelsTried.join(', ')}` : '';
    super(
      {
        kind: decisive.kind,
        status: decisive.status,
        providerMessage: decisive.providerMessage,
        retryAfterMs: decisive.retryAfterMs,
        metadata: decisive.metadata,
        usage: decisive.usage,
        cause: decisive,
      },
      `LLM call failed: ${decisive.kind}${status}${where} after ${attempts.length} attempt(s): ${decisive.providerMessage}`,
    );
    this.attempts = attempts;
    this.lastError = lastError ?? decisive;
    this.modelsTried = modelsTried;
  }
}
