/** A chat's messages with gaps under this are one conversation. */
export const CONVERSATION_GAP_MS = 30 * 60_000;

export interface AnsweredQuestion {
  waId: string;
  inboundWamid: string;
  createdAt: Date;
  /** What the shop paid for the answer (0: direct, cached, level 2). */
  chargedTokens: number;
  costUsd: number;
}

export interface MeanP95 {
  mean: number;
  p95: number;
}

export interface ConversationCosts {
  conversations: number;
  answers: number;
  answersPerConversation: number;
  /** Tokens charged to the shop per conversation. */
  tokensPerConversation: MeanP95;
  /** Provider-reported USD per conversation (0 for calls that reported none). */
  costUsdPerConversation: MeanP95;
  /** Share (0–1) of answers that cost the shop no token. */
  zeroTokenAnswerShare: number;
}

/**
 * Cost per conversation. Questions must come per chat in time order; a gap of 30 minutes
 * or more starts a new conversation. p95 is the nearest-rank percentile.
 */
export function conversationCosts(questions: AnsweredQuestion[]): ConversationCosts {
  const conversations: { tokens: number; usd: number }[] = [];
  let previous: AnsweredQuestion | undefined;
  for (const q of questions) {
    const continues =
      previous?.waId === q.waId &&
      q.createdAt.getTime() - previous.createdAt.getTime() < CONVERSATION_GAP_MS;
    if (!continues) conversations.push({ tokens: 0, usd: 0 });
    const current = conversations[conversations.length - 1];
    current.tokens += q.chargedTokens;
    current.usd += q.costUsd;
    previous = q;
  }
  const n = conversations.length;
  const zero = questions.filter((q) => q.chargedTokens === 0).length;
  return {
    conversations: n,
    answers: questions.length,
    answersPerConversation: n ? round(questions.length / n, 2) : 0,
    tokensPerConversation: meanP95(
      conversations.map((c) => c.tokens),
      1,
    ),
    costUsdPerConversation: meanP95(
      conversations.map((c) => c.usd),
      8,
    ),
    zeroTokenAnswerShare: questions.length ? round(zero / questions.length, 4) : 0,
  };
}

/** Mean and nearest-rank p95, rounded to `digits` decimals (0s when there is nothing). */
export function meanP95(values: number[], digits: number): MeanP95 {
  if (values.length === 0) return { mean: 0, p95: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1];
  return { mean: round(mean, digits), p95: round(p95, digits) };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
