import { callLogFields, callLogLevel } from './call-log';
import type { LlmAttemptRecord } from './llm.types';

const record: LlmAttemptRecord = {
  model: 'anthropic/claude-3-haiku',
  modelIndex: 0,
  attempt: 1,
  modelAttempt: 1,
  tenantId: 'tenant-1',
  operation: 'chat',
  outcome: 'ok',
  status: null,
  promptTokens: 100,
  completionTokens: 20,
  totalTokens: 120,
  costUsd: 0.00005,
  latencyMs: 420,
  keySource: 'tenant',
  alert: false,
  providerMessage: null,
  provider: 'Anthropic',
};

describe('call log', () => {
  it('has the fields operators and dashboards need', () => {
    expect(callLogFields(record)).toMatchObject({
      event: 'llm_call',
      model: 'anthropic/claude-3-haiku',
      tenantId: 'tenant-1',
      operation: 'chat',
      promptTokens: 100,
      completionTokens: 20,
      costUsd: 0.00005,
      latencyMs: 420,
      outcome: 'ok',
      attempt: 1,
      modelIndex: 0,
      fallbackLevel: '1',
    });
    expect(callLogFields({ ...record, modelIndex: 1 }).fallbackLevel).toBe('1b');
  });

  it('picks the level by what the operator has to do', () => {
    expect(callLogLevel(record)).toBe('log');
    expect(callLogLevel({ ...record, outcome: 'rate_limited' })).toBe('warn');
    expect(callLogLevel({ ...record, outcome: 'no_credits', alert: true })).toBe('error');
    expect(callLogLevel({ ...record, outcome: 'bad_request' })).toBe('error');
  });

  it('bounds the provider message', () => {
    const fields = callLogFields({
      ...record,
      outcome: 'bad_request',
      providerMessage: 'x'.repeat(5_000),
    });
    expect(String(fields.providerMessage)).toHaveLength(300);
  });
});
