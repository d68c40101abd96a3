import type { Env } from '../config/env.schema';
import type { LlmGatewayOptions } from './llm.types';

/** Gateway options from the validated configuration (shared by the Nest module, benches, scripts). */
export function gatewayOptionsFromConfig(
  config: Pick<
    Env,
    | 'OPENROUTER_BASE_URL'
    | 'OPENROUTER_API_KEY'
    | 'OPENROUTER_APP_URL'
    | 'OPENROUTER_APP_TITLE'
    | 'LLM_TIMEOUT_MS'
    | 'LLM_DEADLINE_MS'
    | 'LLM_ATTEMPTS_PER_MODEL'
    | 'LLM_BACKOFF_BASE_MS'
    | 'LLM_BACKOFF_MAX_MS'
  >,
): LlmGatewayOptions {
  return {
    baseUrl: config.OPENROUTER_BASE_URL,
    apiKey: config.OPENROUTER_API_KEY,
    appUrl: config.OPENROUTER_APP_URL,
    appTitle: config.OPENROUTER_APP_TITLE,
    timeoutMs: config.LLM_TIMEOUT_MS,
    deadlineMs: config.LLM_DEADLINE_MS,
    attemptsPerModel: config.LLM_ATTEMPTS_PER_MODEL,
    backoffBaseMs: config.LLM_BACKOFF_BASE_MS,
    backoffMaxMs: config.LLM_BACKOFF_MAX_MS,
  };
}
