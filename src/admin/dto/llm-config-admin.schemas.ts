import { z } from 'zod';
import { LLM_PROFILE_NAMES } from '../../config/env.schema';
import { storableText } from './admin-validation';

const modelId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._:/@-]{3,120}$/, 'must be an OpenRouter model id like openai/gpt-4o-mini');

/** A partial update: absent = unchanged, null = cleared (back to the platform default). */
export const llmConfigSchema = z.strictObject({
  apiKey: storableText()
    .trim()
    .min(8)
    .max(512)
    .regex(/^\S+$/, 'must not contain spaces')
    .nullable()
    .optional(),
  modelDefault: modelId.nullable().optional(),
  modelFallback: z.array(modelId).max(5).optional(),
  profile: z.enum(LLM_PROFILE_NAMES).nullable().optional(),
  maxTokens: z.number().int().min(64).max(32_000).nullable().optional(),
  isActive: z.boolean().optional(),
});
