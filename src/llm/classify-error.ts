import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { retryAfterMs } from './backoff';
import { LlmError, type LlmErrorKind } from './llm-error';

/** Why our side cut an attempt short, if it did (the SDK's error alone cannot say). */
export interface AbortCause {
  /** The per-attempt timer fired. */
  timedOut: boolean;
  /** That timer was the call's deadline, not the per-attempt timeout. */
  deadline: boolean;
  /** The caller's signal fired. */
  callerAborted: boolean;
}

/** Metadata keys that can echo the user's input back; kept out of errors and logs. */
const UNSAFE_METADATA = new Set(['flagged_input', 'raw']);

/**
 * Turns whatever one attempt threw into an LlmError. Our own abort flags come first: under
 * some runtimes (jest's VM realm among them) the SDK cannot recognise its own timeout and
 * reports a plain connection error.
 */
export function classifyError(err: unknown, abort: AbortCause, now: number): LlmError {
  if (err instanceof LlmError) return err;
  if (abort.callerAborted)
    return new LlmError({ kind: 'aborted', providerMessage: 'cancelled by caller', cause: err });
  if (abort.timedOut && abort.deadline) {
    return new LlmError({
      kind: 'deadline',
      providerMessage: 'deadline reached during the attempt',
      cause: err,
    });
  }
  if (abort.timedOut || err instanceof APIConnectionTimeoutError) {
    return new LlmError({
      kind: 'timeout',
      providerMessage: 'no complete answer before the per-call timeout',
      cause: err,
    });
  }
  if (err instanceof APIConnectionError) {
    return new LlmError({ kind: 'network', providerMessage: connectionMessage(err), cause: err });
  }
  if (err instanceof APIError) {
    const body = asRecord(err.error);
    const message = typeof body?.message === 'string' ? body.message : err.message;
    return new LlmError({
      kind: kindForStatus(err.status),
      status: err.status,
      providerMessage: message,
      retryAfterMs: retryAfterMs(err.headers, now),
      metadata: safeMetadata(body?.metadata),
      cause: err,
    });
  }
  if (isNetworkFailure(err)) {
    return new LlmError({ kind: 'network', providerMessage: describe(err), cause: err });
  }
  return new LlmError({ kind: 'provider_error', providerMessage: describe(err), cause: err });
}

export function kindForStatus(status: number): LlmErrorKind {
  switch (status) {
    case 401:
      return 'auth';
    case 402:
      return 'no_credits';
    case 403:
      return 'forbidden';
    case 404:
      return 'model_not_found';
    case 408:
      return 'timeout';
    case 429:
      return 'rate_limited';
    case 503:
      return 'no_provider';
  }
  if (status >= 500) return 'provider_unavailable';
  if (status >= 400) return 'bad_request';
  return 'provider_error';
}

function safeMetadata(value: unknown): Record<string, unknown> | undefined {
  const record = asRecord(value);
  if (!record) return undefined;
  return Object.fromEntries(Object.entries(record).filter(([k]) => !UNSAFE_METADATA.has(k)));
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** undici reports a socket closed mid-body as TypeError "terminated" with a SocketError cause. */
function isNetworkFailure(err: unknown): boolean {
  if (!(err instanceof Error) && !(typeof err === 'object' && err !== null)) return false;
  const text = `${describe(err)} ${describe((err as { cause?: unknown }).cause)}`;
  return /terminated|fetch failed|socket|ECONNRESET|ECONNREFUSED|EPIPE|other side closed|network/i.test(
    text,
  );
}

function connectionMessage(err: APIConnectionError): string {
  const cause = describe((err as { cause?: unknown }).cause);
  return cause ? `${err.message} (${cause})` : err.message;
}

function describe(err: unknown): string {
  if (err === undefined || err === null) return '';
  if (typeof err === 'object' && 'message' in err && typeof err.message === 'string') {
    const code = 'code' in err && typeof err.code === 'string' ? `${err.code}: ` : '';
    const cause = 'cause' in err ? describe(err.cause) : '';
    return `${code}${err.message}${cause ? ` <- ${cause}` : ''}`;
  }
  return String(err);
}
