import type { LlmAttemptRecord } from '../llm/llm.types';
import { fallbackLevelForModel } from '../llm/model-chain';
import { labelFrom } from './metric-labels';
import type { MetricsService } from './metrics.service';

const OPERATIONS = ['chat', 'intent', 'transcription', 'test'] as const;
const OUTCOMES = [
  'ok',
  'bad_request',
  'auth',
  'forbidden',
  'no_credits',
  'model_not_found',
  'rate_limited',
  'timeout',
  'provider_unavailable',
  'no_provider',
  'network',
  'provider_error',
  'deadline',
  'aborted',
] as const;

/**
 * The metrics subscriber of the gateway's (and the transcription client's) per-attempt
 * events. `models` is the set the operator configured (a shop can only pick from it), so the
 * model label stays bounded; the tenant id is never a label (per-shop figures come from the
 * usage report).
 */
export function llmMetricsObserver(
  metrics: MetricsService,
  models: ReadonlySet<string>,
): (record: LlmAttemptRecord) => void {
  return (record) => {
    const model = labelFrom(models, record.model);
    const operation = labelFrom(OPERATIONS, record.operation);
    const outcome = labelFrom(OUTCOMES, record.outcome);
    metrics.llmRequests.inc({
      model,
      operation,
      outcome,
      fallback_level: fallbackLevelForModel(record.modelIndex),
    });
    metrics.llmDuration.observe({ model, operation, outcome }, record.latencyMs / 1000);
    if (record.promptTokens > 0)
      metrics.llmTokens.inc({ model, operation, type: 'prompt' }, record.promptTokens);
    if (record.completionTokens > 0)
      metrics.llmTokens.inc({ model, operation, type: 'completion' }, record.completionTokens);
    if (record.costUsd !== null && record.costUsd > 0)
      metrics.llmCost.inc({ model, operation }, record.costUsd);
    if (record.alert) metrics.llmAlerts.inc({ outcome, key_source: record.keySource });
  };
}
