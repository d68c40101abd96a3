import type { LlmAttemptRecord, LlmErrorKind, LlmUsage } from './llm.types';

export type { LlmErrorKind };

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
 * What `LlmGatewayClient.complete` throws: the call produced no answer. `kind` is the decisive
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
