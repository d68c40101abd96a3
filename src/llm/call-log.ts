import type { LlmAttemptRecord } from './llm.types';
import { fallbackLevelForModel } from './model-chain';

export type CallLogLevel = 'log' | 'warn' | 'error';

/** Longest provider message kept in a log line (some providers echo long bodies). */
const MAX_PROVIDER_MESSAGE = 300;

/**
 * The fields of the one structured log line per attempt. Built from the record, which holds
 * neither the API key nor message contents, so nothing secret can leak through here.
 */
export function callLogFields(record: LlmAttemptRecord): Record<string, unknown> {
  return {
    event: 'llm_call',
    model: record.model,
    modelIndex: record.modelIndex,
    fallbackLevel: fallbackLevelForModel(record.modelIndex),
    attempt: record.attempt,
    modelAttempt: record.modelAttempt,
    tenantId: record.tenantId,
    operation: record.operation,
    outcome: record.outcome,
    status: record.status,
    promptTokens: record.promptTokens,
    completionTokens: record.completionTokens,
    totalTokens: record.totalTokens,
    costUsd: record.costUsd,
    latencyMs: record.latencyMs,
    keySource: record.keySource,
    provider: record.provider,
    ...(record.alert ? { alert: true } : {}),
    ...(record.providerMessage
      ? { providerMessage: record.providerMessage.slice(0, MAX_PROVIDER_MESSAGE) }
      : {}),
  };
}

/** ok → log; a failure the chain can absorb → warn; one that ends the chain or needs an operator → error. */
export function callLogLevel(record: LlmAttemptRecord): CallLogLevel {
  if (record.outcome === 'ok') return 'log';
  if (record.alert || ['bad_request', 'forbidden', 'deadline'].includes(record.outcome)) {
    return 'error';
  }
  return 'warn';
}
