import type { LlmOperation } from '../llm';

/** Tokens held on a shop's balance for one LLM round, until settled or released. */
export interface TokenReservation {
  id: string;
  tenantId: string;
  /** Prompt estimate + the max_tokens the round may use. */
  tokens: number;
  reference: string;
  expiresAt: Date;
}

export interface Balance {
  available: number;
  reserved: number;
  lifetimePurchased: number;
  lifetimeUsed: number;
}

/** What one LLM call used, as the provider reported it. */
export interface UsageRecord {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  model: string;
  operation: LlmOperation;
  costUsd: number | null | undefined;
  latencyMs: number;
  fallbackLevel: string;
  inboundWamid: string | null;
  seq: number;
}

/**
 * Usage recorded without a charge. `reservation`, when given, is released in the same
 * transaction; without it the round's reservation is found by the message and round
 * (reference `<wamid>:a<attempt>:r<seq>`, as the tool loop names it).
 */
export type UnchargedUsage = UsageRecord & { tenantId: string; reservation?: TokenReservation };

export type RoundPlan =
  { reservation: TokenReservation; maxTokens: number } | { insufficient: true; available: number };

export interface SettleResult {
  /** Tokens taken from the balance (≤ totalTokens). */
  charged: number;
  /** Usage the balance could not cover (written off as an adjustment entry). */
  shortfall: number;
  /** True when nothing happened: already settled/released, or usage already recorded. */
  skipped: boolean;
}

/** Smallest reply worth calling the model for; below it the shop is out of tokens. */
export const MIN_REPLY_TOKENS = 64;
/** Rough size of a typical answer (prompt + tools + reply), for "≈ N respuestas". */
export const TYPICAL_TOKENS_PER_ANSWER = 250;
