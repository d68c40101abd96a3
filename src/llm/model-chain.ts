import { LLM_PROFILE_NAMES, type Env, type LlmProfileName } from '../config/env.schema';

export { LLM_PROFILE_NAMES, type LlmProfileName };

/** The configuration the chain is resolved from (a subset of AppConfig). */
export type ModelChainConfig = Pick<
  Env,
  'LLM_MODEL_DEFAULT' | 'LLM_MODEL_FALLBACK' | 'LLM_PROFILES'
> &
  Partial<Pick<Env, 'LLM_ALLOWED_MODELS'>>;

/** What a tenant (or a call site) asks for; every field may be missing or null from the DB. */
export interface ModelSelection {
  modelDefault?: string | null;
  modelFallback?: readonly string[] | null;
  profile?: string | null;
}

export function isLlmProfileName(value: unknown): value is LlmProfileName {
  return typeof value === 'string' && (LLM_PROFILE_NAMES as readonly string[]).includes(value);
}

/** The env chain: LLM_MODEL_DEFAULT then LLM_MODEL_FALLBACK. */
export function defaultChain(config: ModelChainConfig): string[] {
  return dedupe([config.LLM_MODEL_DEFAULT, ...config.LLM_MODEL_FALLBACK]);
}

/** A profile's chain from LLM_PROFILES; profiles not configured use the env chain. */
export function profileChain(profile: LlmProfileName, config: ModelChainConfig): string[] {
  return dedupe(config.LLM_PROFILES[profile] ?? defaultChain(config));
}

/**
 * The model chain for one call: the tenant's own default and fallbacks first, then the
 * profile's chain, then the env chain as the last resort; de-duplicated, order kept. An
 * unknown profile name (e.g. stale tenant data) counts as "balanced" rather than failing the
 * answer.
 */
export function resolveModelChain(selection: ModelSelection, config: ModelChainConfig): string[] {
  const profile = isLlmProfileName(selection.profile) ? selection.profile : 'balanced';
  return dedupe([
    selection.modelDefault ?? '',
    ...(selection.modelFallback ?? []),
    ...profileChain(profile, config),
    ...defaultChain(config),
  ]);
}

function dedupe(models: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of models) {
    const model = raw.trim();
    if (model !== '' && !seen.has(model)) {
      seen.add(model);
      out.push(model);
    }
  }
  return out;
}

/**
 * The models a shop may be configured with: LLM_ALLOWED_MODELS, or, when it is not set, every
 * model the operator already configured (default, fallbacks, profiles). A shop's model costs
 * the platform money and tokens per answer: it is never a free choice of whoever edits it.
 */
export function allowedModels(config: ModelChainConfig): Set<string> {
  const configured = config.LLM_ALLOWED_MODELS ?? [
    ...defaultChain(config),
    ...Object.values(config.LLM_PROFILES).flat(),
  ];
  return new Set(dedupe(configured));
}

/**
 * A shop's selection without the models that are (no longer) allowed, so a stale row can never
 * route an answer to a model the operator took off the list; the env chain still answers.
 */
export function allowedSelection(
  selection: ModelSelection,
  config: ModelChainConfig,
): ModelSelection {
  const allowed = allowedModels(config);
  const ok = (m: string | null | undefined) => (m && allowed.has(m.trim()) ? m : null);
  return {
    ...selection,
    modelDefault: ok(selection.modelDefault),
    modelFallback: (selection.modelFallback ?? []).filter((m) => ok(m) !== null),
  };
}

/** The fallback level an answer from this place in the chain serves: the default model (1) or a fallback model (1b). */
export function fallbackLevelForModel(modelIndex: number): '1' | '1b' {
  return modelIndex > 0 ? '1b' : '1';
}
