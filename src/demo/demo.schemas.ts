import { z } from 'zod';
import { LLM_FAILURES } from './demo-backend';

/** Message types the simulator's phone can produce (what Meta would deliver from a phone). */
const SENDABLE = ['text', 'interactive', 'reaction', 'audio', 'button'] as const;

export const sendMessageSchema = z.strictObject({
  sender: z.enum(['owner', 'employee']).default('owner'),
  /** The message as Meta carries it, without from/id/timestamp: { type, [type]: {...}, context? }. */
  message: z.looseObject({ type: z.enum(SENDABLE) }),
});

export const statusSchema = z.strictObject({
  sender: z.enum(['owner', 'employee']).default('owner'),
  wamid: z.string().min(1).max(512),
  status: z.enum(['delivered', 'read']),
});

export const llmFailureSchema = z.strictObject({ mode: z.enum(LLM_FAILURES) });
