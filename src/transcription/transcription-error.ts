import { LlmError } from '../llm/llm-error';
import type { LlmAttemptRecord } from '../llm/llm.types';

/**
 * A transcription produced no text. An LlmError, so `kind`, `retryable` and `alert` mean what
 * they mean for chat calls (auth / no_credits alert an operator; rate_limited, timeout… were
 * already retried as far as TRANSCRIPTION_ATTEMPTS allows). Failed attempts may still have
 * been billed: their tokens are in `attempts`.
 */
export class TranscriptionFailedError extends LlmError {
  override name = 'TranscriptionFailedError';
  readonly attempts: LlmAttemptRecord[];

  constructor(decisive: LlmError, attempts: LlmAttemptRecord[]) {
    const status = decisive.status ? ` (${decisive.status})` : '';
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
      `Transcription failed: ${decisive.kind}${status} after ${attempts.length} attempt(s): ${decisive.providerMessage}`,
    );
    this.attempts = [...attempts];
  }
}
