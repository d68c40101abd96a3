import { z } from 'zod';
import { LLM_PROFILE_NAMES } from '../../config/env.schema';
import { INTENTS } from '../../intents';

/** A partial update of a shop's switches: absent = unchanged. */
export const tenantSettingsSchema = z.strictObject({
  responseCacheEnabled: z.boolean().optional(),
  dailyCloseEnabled: z.boolean().optional(),
  dailyCloseTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h, shop-local)')
    .optional(),
  /** Replaces the shop's whole map; {} goes back to LLM_INTENT_PROFILES. */
  intentProfiles: z.partialRecord(z.enum(INTENTS), z.enum(LLM_PROFILE_NAMES)).optional(),
  /** Tokens per shop-local day; 0 = unlimited, null = back to DAILY_TOKEN_CAP_DEFAULT. */
  dailyTokenCap: z.number().int().min(0).max(1_000_000_000).nullable().optional(),
});
