import { meanP95 } from './conversation-costs';

/** A follow-up of the same intent within this long counts against the answer. */
export const QUALITY_WINDOW_SECONDS = 120;
const LEVELS = ['1', '1b', '2', '3', 'direct'] as const;

/** One answer an experiment routed, with what it cost and whether the chat asked again. */
export interface ArmAnswer {
  arm: 'a' | 'b';
  fallbackLevel: string | null;
  totalTokens: number;
  costUsd: number;
  latencyMs: number;
  followedBySameIntent: boolean;
}

export interface ArmReport {
  arm: 'a' | 'b';
  answers: number;
  /** Tokens the model rounds counted per answer (nearest-rank p95). */
  tokensPerAnswer: { mean: number; p95: number };
  /** Provider-reported USD per answer. */
  costUsdPerAnswer: { mean: number; p95: number };
  /** Share (0–1) of the arm's answers per fallback level. */
  fallbackLevelRates: Record<(typeof LEVELS)[number], number>;
  /** Time waiting on the model per answer (sum of its rounds), nearest-rank. */
  latencyMs: { p50: number; p95: number };
  /**
   * Quality proxy: share (0–1) of answers the same chat followed within 2 minutes with
   * another question of the same intent (lower is better).
   */
  repeatedQuestionRate: number;
}

/** Per-arm figures; both arms are always present (zeros when one has no answers yet). */
export function armReports(answers: ArmAnswer[]): ArmReport[] {
  return (['a', 'b'] as const).map((arm) => {
    const mine = answers.filter((x) => x.arm === arm);
    const n = mine.length;
    const share = (count: number) => (n ? round(count / n, 4) : 0);
    const rates = Object.fromEntries(
      LEVELS.map((level) => [level, share(mine.filter((x) => x.fallbackLevel === level).length)]),
    ) as ArmReport['fallbackLevelRates'];
    return {
      arm,
      answers: n,
      tokensPerAnswer: meanP95(
        mine.map((x) => x.totalTokens),
        1,
      ),
      costUsdPerAnswer: meanP95(
        mine.map((x) => x.costUsd),
        8,
      ),
      fallbackLevelRates: rates,
      latencyMs: {
        p50: nearestRank(
          mine.map((x) => x.latencyMs),
          0.5,
        ),
        p95: nearestRank(
          mine.map((x) => x.latencyMs),
          0.95,
        ),
      },
      repeatedQuestionRate: share(mine.filter((x) => x.followedBySameIntent).length),
    };
  });
}

/** Nearest-rank percentile (0 for no values). */
export function nearestRank(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
