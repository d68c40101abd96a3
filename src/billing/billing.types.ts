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
  /** Served from the response cache (0 tokens); tokensSaved is what it cost when computed. */
  cache?: boolean;
  tokensSaved?: number;
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

/** One LLM round of an answer, as the provider reported it, with the tokens held for it. */
export interface RoundCharge {
  seq: number;
  /** What the call was for, when not the answer's own operation (e.g. 'intent'). */
  operation?: LlmOperation;
  reservation: TokenReservation;
  model: string;
  usage: {
    promptTokens: number;
    completionTokens: number;
    totalTokens: number;
    costUsd: number | null;
  };
  latencyMs: number;
}

/** Everything an answer costs, committed with the reply in the caller's transaction. */
export interface AnswerCharge {
  tenantId: string;
  inboundWamid: string;
  operation: LlmOperation;
  /** The fallback level that produced the answer, recorded on each usage row. */
  fallbackLevel: string;
  /** Rounds paid by the shop. */
  charged: RoundCharge[];
  /** Rounds recorded but not charged (the answer fell back to level 2). */
  uncharged: RoundCharge[];
  /** The answer came from the response cache: one 'chat' usage row, 0 tokens, cache = true. */
  cacheHit?: { model: string; savedTokens: number };
}

export interface CommitResult {
  /** The balance after the charge, when this answer made it drop under 10 % of the package. */
  lowBalance: Balance | null;
}

/** A package as the shop owner sees it. */
export interface PackageInfo {
  code: string;
  name: string;
  tokens: number;
  priceCents: number;
}

export interface Purchase {
  id: string;
  tenantId: string;
  packageCode: string;
  tokens: number;
  priceCents: number;
  paymentRef: string;
  createdBy: string;
  createdAt: Date;
}

export interface PurchaseOutcome {
  purchase: Purchase;
  /** False when this payment was already credited (same tenant and package). */
  created: boolean;
}

export type PurchaseRequestStatus = 'pending' | 'confirmed' | 'cancelled';

export interface PurchaseRequest {
  id: string;
  tenantId: string;
  packageCode: string;
  packageName: string;
  tokens: number;
  priceCents: number;
  requestedByWaId: string;
  inboundWamid: string | null;
  status: PurchaseRequestStatus;
  purchaseId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Smallest reply worth calling the model for; below it the shop is out of tokens. */
export const MIN_REPLY_TOKENS = 64;
/** Rough size of a typical answer (prompt + tools + reply), for "≈ N respuestas". */
export const TYPICAL_TOKENS_PER_ANSWER = 250;
