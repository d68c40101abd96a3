import { createHash } from 'node:crypto';
import type { Env, Experiment, LlmProfileName } from '../config/env.schema';
import type { Intent } from '../intents';

/** An answer's place in an A/B experiment: which experiment, which arm. */
export interface ExperimentArm {
  name: string;
  arm: 'a' | 'b';
}

/** The profile one answer is routed to, and why (for logs and the experiment report). */
export interface ProfileChoice {
  profile: LlmProfileName;
  source: 'shop_intent' | 'shop_profile' | 'experiment' | 'intent_map' | 'default';
  experiment?: ExperimentArm;
}

export interface RoutingInput {
  intent: Intent;
  tenantId: string;
  /** The chat (the sender's wa_id or BSUID): the unit of a per-chat experiment. */
  chatId: string;
  /** tenant_settings.intent_profiles: the shop's own map (admin API). */
  shopIntentProfiles: Partial<Record<string, LlmProfileName>>;
  /** The profile of the shop's active LLM configuration, when it set one. */
  shopProfile?: LlmProfileName;
}

export type RoutingConfig = Pick<Env, 'LLM_INTENT_PROFILES' | 'LLM_EXPERIMENTS'>;

/**
 * Which profile answers: what the shop chose explicitly (a profile for this intent, then a
 * profile for every answer) wins; then a running experiment that covers the intent; then the
 * platform's intent map (LLM_INTENT_PROFILES); then "balanced". An experiment only splits
 * shops that run on the platform's defaults, so its arms compare like with like.
 */
export function chooseProfile(input: RoutingInput, config: RoutingConfig): ProfileChoice {
  const own = input.shopIntentProfiles[input.intent];
  if (own) return { profile: own, source: 'shop_intent' };
  if (input.shopProfile) return { profile: input.shopProfile, source: 'shop_profile' };
  const experiment = config.LLM_EXPERIMENTS.find(
    (e) => e.enabled && (!e.intents || e.intents.includes(input.intent)),
  );
  if (experiment) {
    const arm = armOf(experiment, experiment.unit === 'chat' ? input.chatId : input.tenantId);
    return {
      profile: experiment[arm],
      source: 'experiment',
      experiment: { name: experiment.name, arm },
    };
  }
  const mapped = config.LLM_INTENT_PROFILES[input.intent];
  return mapped
    ? { profile: mapped, source: 'intent_map' }
    : { profile: 'balanced', source: 'default' };
}

/**
 * The arm of one unit: the first 32 bits of sha256("<experiment>:<id>") as a fraction of
 * 2^32, in arm b when below percentB. Stable for as long as the name and the percentage are,
 * independent between experiments (the name is in the hash), and no state to store.
 */
export function armOf(
  experiment: Pick<Experiment, 'name' | 'percentB'>,
  unitId: string,
): 'a' | 'b' {
  const digest = createHash('sha256').update(`${experiment.name}:${unitId}`).digest();
  const fraction = digest.readUInt32BE(0) / 2 ** 32;
  return fraction * 100 < experiment.percentB ? 'b' : 'a';
}
