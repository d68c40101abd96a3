import type { AppConfig } from '../config/config.module';
import type { LlmProfileName } from '../config/env.schema';
import { allowedSelection, resolveModelChain } from '../llm';
import type { TenantLlmSettings } from '../tenants/services/tenant-llm-config.service';

/** Which models a shop's calls go to, with which key, and how long a reply may be. */
export interface ModelRoute {
  models: string[];
  apiKey?: string;
  ceiling: number;
}

/**
 * The shop's own chain and key when its configuration is active (models outside the
 * allowlist dropped), the platform's otherwise; the same for every call of an answer.
 * `profile` is the one routing chose for this answer (profile-routing.ts).
 */
export function modelRoute(
  stored: TenantLlmSettings,
  config: AppConfig,
  profile?: LlmProfileName,
): ModelRoute {
  const cfg = stored.isActive ? stored : undefined;
  return {
    models: resolveModelChain(
      allowedSelection(
        {
          modelDefault: cfg?.modelDefault,
          modelFallback: cfg?.modelFallback,
          profile: profile ?? cfg?.profile,
        },
        config,
      ),
      config,
    ),
    apiKey: cfg?.apiKey,
    ceiling: Math.min(cfg?.maxTokens ?? config.LLM_MAX_TOKENS, config.LLM_MAX_TOKENS),
  };
}
