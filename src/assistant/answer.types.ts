import type { RoundCharge } from '../billing/billing.types';
import type { Turn } from '../conversations/services/conversations.service';
import type { InboundMessage } from '../inbox/inbox.types';
import type { Intent, IntentResult } from '../intents';
import type { LlmError } from '../llm';
import type { ResolvedSender, Tenant } from '../tenants/tenant.types';
import type { OutgoingMessage } from '../whatsapp/graph-api.types';
import type { PlannedToolCall } from './prefetch';
import type { ExperimentArm } from './profile-routing';

/** Which step of the fallback produced an answer ('direct' = no LLM needed at all). */
export type AnswerLevel = 'direct' | '1' | '1b' | '2' | '3';

/** The message being answered, the shop it is for, who sent it, and the clock of the answer. */
export interface AnswerContext {
  message: InboundMessage & { tenantId: string };
  sender: ResolvedSender;
  tenant: Tenant;
  now: Date;
}

/** A text question on its way to an answer: what was asked, classified, with the chat's context. */
export interface Question {
  ctx: AnswerContext;
  text: string;
  normalized: string;
  classified: IntentResult;
  history: Turn[];
  /** The read the question obviously needs (prefetched; level 2 answers from it too). */
  plan: PlannedToolCall | null;
  /** The LLM call that labelled an unsure message, paid with the answer (or absorbed). */
  classificationRound: ChargedRound | null;
}

/** A round that reached the provider and must be settled (or recorded) with what it reported. */
export interface ChargedRound extends RoundCharge {
  modelIndex: number;
}

/** An answer reused from the response cache: no round, 0 tokens, what it saved. */
export interface CacheHit {
  model: string;
  savedTokens: number;
}

/** What the LLM step ended with (and the A/B arm it was routed by, if any). */
export type LoopOutcome = (
  | {
      kind: 'answer';
      text: string;
      level: '1' | '1b';
      rounds: ChargedRound[];
      /** Set when the answer came from the response cache (rounds is then empty). */
      cacheHit?: CacheHit;
    }
  | { kind: 'llm_failed'; error: LlmError; rounds: ChargedRound[] }
  | { kind: 'out_of_tokens'; available: number; rounds: ChargedRound[] }
  | { kind: 'no_answer'; rounds: ChargedRound[] }
  | { kind: 'error'; error: Error; rounds: ChargedRound[] }
) & { experiment?: ExperimentArm };

/** The reply to send, how it was produced, and what it costs. */
export interface PreparedAnswer {
  message: OutgoingMessage;
  level: AnswerLevel;
  intent: Intent | null;
  /** Rounds paid by the shop. */
  charged: ChargedRound[];
  /** Rounds recorded but not charged (the answer fell back to level 2). */
  uncharged: ChargedRound[];
  /** The answer came from the response cache: recorded as a 0-token 'chat' call. */
  cacheHit?: CacheHit;
  /** The A/B experiment arm whose profile answered (recorded on the reply). */
  experiment?: ExperimentArm;
}

export function directAnswer(
  body: string | OutgoingMessage,
  intent: Intent | null = null,
): PreparedAnswer {
  return {
    message: typeof body === 'string' ? { type: 'text', body } : body,
    level: 'direct',
    intent,
    charged: [],
    uncharged: [],
  };
}
