import { classifyIntent } from './classify-intent';
import { INTENTS, type ClassifyOptions, type Intent, type IntentResult } from './intent.types';

/**
 * Scoring the classifier against labelled fixtures (`intent<TAB>text` per line). Pure: callers
 * read the files. Shared by the tests, `npm run intents:train` and the benchmark so all three
 * count the same way.
 */
export interface LabelledExample {
  intent: Intent;
  text: string;
  /** 1-based line number in the fixture, for error messages. */
  line: number;
}

export interface IntentScore {
  total: number;
  correct: number;
  /** correct / total; NaN when the fixture has no example of the intent. */
  accuracy: number;
}

export interface Miss {
  expected: Intent;
  actual: Intent;
  confidence: number;
  text: string;
  line: number;
}

export interface EvaluationReport {
  total: number;
  correct: number;
  accuracy: number;
  perIntent: Record<Intent, IntentScore>;
  /** confusion[expected][actual], both indexed like INTENTS. */
  confusion: number[][];
  misses: Miss[];
}

const INTENT_SET: ReadonlySet<string> = new Set(INTENTS);

/** Blank lines and lines starting with '#' are skipped; an unknown label throws. */
export function parseIntentFixture(content: string): LabelledExample[] {
  const examples: LabelledExample[] = [];
  const lines = content.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index];
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const tab = raw.indexOf('\t');
    if (tab === -1) throw new Error(`fixture line ${index + 1}: expected "intent<TAB>text"`);
    const label = raw.slice(0, tab).trim();
    if (!INTENT_SET.has(label)) {
      throw new Error(`fixture line ${index + 1}: unknown intent "${label}"`);
    }
    examples.push({ intent: label as Intent, text: raw.slice(tab + 1), line: index + 1 });
  }
  return examples;
}

export function evaluate(
  examples: readonly LabelledExample[],
  options: ClassifyOptions = {},
  classify: (text: string, options: ClassifyOptions) => IntentResult = classifyIntent,
): EvaluationReport {
  return reportFrom(
    examples,
    examples.map((example) => classify(example.text, options)),
  );
}

/**
 * k-fold scoring: example i belongs to fold `foldOf(i)` and is classified by that fold's
 * classifier (one trained without the fold), so every example is scored out of sample.
 */
export function evaluateFolds(
  examples: readonly LabelledExample[],
  foldOf: (index: number) => number,
  classifierFor: (fold: number) => (text: string) => IntentResult,
): EvaluationReport {
  const classifiers = new Map<number, (text: string) => IntentResult>();
  const results = examples.map((example, i) => {
    const fold = foldOf(i);
    let classify = classifiers.get(fold);
    if (classify === undefined) {
      classify = classifierFor(fold);
      classifiers.set(fold, classify);
    }
    return classify(example.text);
  });
  return reportFrom(examples, results);
}

function reportFrom(
  examples: readonly LabelledExample[],
  results: readonly IntentResult[],
): EvaluationReport {
  const index = new Map<Intent, number>(INTENTS.map((intent, i) => [intent, i]));
  const confusion = INTENTS.map(() => INTENTS.map(() => 0));
  const misses: Miss[] = [];
  let correct = 0;
  for (let e = 0; e < examples.length; e++) {
    const example = examples[e];
    const result = results[e];
    confusion[index.get(example.intent)!][index.get(result.intent)!]++;
    if (result.intent === example.intent) correct++;
    else {
      misses.push({
        expected: example.intent,
        actual: result.intent,
        confidence: result.confidence,
        text: example.text,
        line: example.line,
      });
    }
  }
  const perIntent = {} as Record<Intent, IntentScore>;
  INTENTS.forEach((intent, i) => {
    const total = confusion[i].reduce((sum, n) => sum + n, 0);
    const hits = confusion[i][i];
    perIntent[intent] = { total, correct: hits, accuracy: total === 0 ? NaN : hits / total };
  });
  return {
    total: examples.length,
    correct,
    accuracy: examples.length === 0 ? NaN : correct / examples.length,
    perIntent,
    confusion,
    misses,
  };
}

/** Rows are the expected intent, columns what the classifier said. */
export function formatConfusionMatrix(report: EvaluationReport): string {
  const short = INTENTS.map((intent) => intent.slice(0, 6));
  const labelWidth = Math.max(...INTENTS.map((intent) => intent.length));
  const cellWidth = 7;
  const header = `${'expected \\ got'.padEnd(labelWidth)} ${short.map((s) => s.padStart(cellWidth)).join('')}`;
  const rows = INTENTS.map(
    (intent, i) =>
      `${intent.padEnd(labelWidth)} ${report.confusion[i].map((n) => String(n === 0 ? '.' : n).padStart(cellWidth)).join('')}`,
  );
  return [header, ...rows].join('\n');
}

export function formatAccuracy(report: EvaluationReport): string {
  const pct = (value: number): string => (Number.isNaN(value) ? '  n/a' : (value * 100).toFixed(1));
  const lines = INTENTS.map((intent) => {
    const score = report.perIntent[intent];
    return `  ${intent.padEnd(20)} ${pct(score.accuracy).padStart(6)}%  (${score.correct}/${score.total})`;
  });
  lines.push(
    `  ${'overall'.padEnd(20)} ${pct(report.accuracy).padStart(6)}%  (${report.correct}/${report.total})`,
  );
  return lines.join('\n');
}

export function formatMisses(report: EvaluationReport): string {
  return report.misses
    .map((m) => `  line ${m.line}: ${m.expected} → ${m.actual} (${m.confidence}) ${m.text}`)
    .join('\n');
}
