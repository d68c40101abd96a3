import type { LabelledExample } from './evaluation';
import { foldedTextOf, forEachFeature } from './learned-features';
import {
  bestClass,
  compileModel,
  confidenceOf,
  MODEL_FORMAT,
  probabilityOf,
  rawScores,
  type CompiledModel,
  type ModelWeights,
} from './learned-model';
import { INTENTS, type Intent } from './intent.types';

/**
 * Training of the learned intent model (learned-model.ts). Deterministic by construction: no
 * randomness, folds by position, features and classes written in a fixed order, numbers
 * written with fixed precision; the same fixture always gives the same file, byte for byte.
 */
export const CV_FOLDS = 5;
/** Smoothing and temperature candidates; the pair with the best cross-validated fit wins. */
const ALPHAS = [0.02, 0.05, 0.1, 0.2, 0.5] as const;
const TEMPERATURES = [1, 2, 3, 4, 6, 8, 10, 12, 16, 20, 25, 30, 40] as const;

const INTENT_INDEX = new Map<Intent, number>(INTENTS.map((intent, i) => [intent, i]));

interface Counts {
  classDocs: number[];
  classTotals: number[];
  features: Map<string, number[]>;
}

function count(texts: readonly string[], labels: readonly number[]): Counts {
  const counts: Counts = {
    classDocs: INTENTS.map(() => 0),
    classTotals: INTENTS.map(() => 0),
    features: new Map(),
  };
  texts.forEach((text, i) => {
    const c = labels[i];
    counts.classDocs[c]++;
    forEachFeature(text, (feature) => {
      let row = counts.features.get(feature);
      if (row === undefined) {
        row = INTENTS.map(() => 0);
        counts.features.set(feature, row);
      }
      row[c]++;
      counts.classTotals[c]++;
    });
  });
  return counts;
}

function weightsFrom(
  counts: Counts,
  alpha: number,
  temperature: number,
  threshold: number,
  examples: number,
  trainedOn: string,
): ModelWeights {
  const features: Record<string, string> = {};
  const keys = [...counts.features.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const key of keys) {
    const row = counts.features.get(key)!;
    features[key] = row
      .map((n, c) => (n > 0 ? `${c}:${n}` : ''))
      .filter((pair) => pair !== '')
      .join(',');
  }
  return {
    format: MODEL_FORMAT,
    trainedOn,
    examples,
    intents: [...INTENTS],
    alpha,
    temperature,
    threshold,
    classDocs: counts.classDocs,
    classTotals: counts.classTotals,
    features,
  };
}

export interface TrainingResult {
  weights: ModelWeights;
  /** Cross-validated accuracy of the model alone with the chosen alpha and temperature. */
  cvAccuracy: number;
  /** Mean negative log-likelihood of the right intent across the folds. */
  cvLogLoss: number;
  /** Cross-validated precision of the predictions at or above the chosen threshold. */
  cvPrecisionAtThreshold: number;
  /** Share of the tuning messages whose prediction reaches the threshold. */
  cvCoverageAtThreshold: number;
}

/** Folds by position (i mod k): the fixture interleaves intents, so every fold gets them all. */
export const foldOf = (index: number, folds: number = CV_FOLDS): number => index % folds;

/** The model decides alone only where, across the folds, it was right this often. */
export const TARGET_PRECISION = 0.95;
const THRESHOLDS = [0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95] as const;

interface Candidate {
  alpha: number;
  temperature: number;
  accuracy: number;
  logLoss: number;
  /** Out-of-fold [confidence, right] per tuning message. */
  predictions: [number, boolean][];
}

export function trainModel(
  examples: readonly LabelledExample[],
  trainedOn = 'test/fixtures/intents.tsv',
): TrainingResult {
  const texts = examples.map((example) => foldedTextOf(example.text));
  const labels = examples.map((example) => INTENT_INDEX.get(example.intent)!);

  let best: Candidate | undefined;
  for (const alpha of ALPHAS) {
    const candidates: Candidate[] = TEMPERATURES.map((temperature) => ({
      alpha,
      temperature,
      accuracy: 0,
      logLoss: 0,
      predictions: [],
    }));
    for (let fold = 0; fold < CV_FOLDS; fold++) {
      const train = texts.filter((_, i) => foldOf(i) !== fold);
      const trainLabels = labels.filter((_, i) => foldOf(i) !== fold);
      const compiled = compileModel(
        weightsFrom(count(train, trainLabels), alpha, 1, 0.5, train.length, ''),
      );
      texts.forEach((text, i) => {
        if (foldOf(i) !== fold) return;
        // The temperature only rescales: score once, then try every candidate on the scores.
        const { scores, coverage } = rawScores(compiled, text);
        const right = bestClass(scores) === labels[i];
        for (const candidate of candidates) {
          if (right) candidate.accuracy++;
          const p = probabilityOf(scores, labels[i], candidate.temperature);
          candidate.logLoss -= Math.log(Math.max(p, 1e-9));
          candidate.predictions.push([
            confidenceOf(scores, coverage, candidate.temperature),
            right,
          ]);
        }
      });
    }
    for (const candidate of candidates) {
      candidate.accuracy /= texts.length;
      candidate.logLoss /= texts.length;
      if (best === undefined || better(candidate, best)) best = candidate;
    }
  }
  const chosen = best!;
  const threshold = chooseThreshold(chosen.predictions);
  const reached = chosen.predictions.filter(([confidence]) => confidence >= threshold);
  const weights = weightsFrom(
    count(texts, labels),
    chosen.alpha,
    chosen.temperature,
    threshold,
    texts.length,
    trainedOn,
  );
  return {
    weights,
    cvAccuracy: chosen.accuracy,
    cvLogLoss: chosen.logLoss,
    cvPrecisionAtThreshold:
      reached.length === 0 ? NaN : reached.filter(([, right]) => right).length / reached.length,
    cvCoverageAtThreshold: reached.length / chosen.predictions.length,
  };
}

/**
 * One model per fold, each trained without its fold, with the hyperparameters of `weights`
 * (chosen by the same folds: the estimate is slightly optimistic, which the report says).
 */
export function foldModels(
  examples: readonly LabelledExample[],
  weights: ModelWeights,
): CompiledModel[] {
  const texts = examples.map((example) => foldedTextOf(example.text));
  const labels = examples.map((example) => INTENT_INDEX.get(example.intent)!);
  const models: CompiledModel[] = [];
  for (let fold = 0; fold < CV_FOLDS; fold++) {
    const keep = (_: unknown, i: number): boolean => foldOf(i) !== fold;
    const counts = count(texts.filter(keep), labels.filter(keep));
    models.push(
      compileModel(
        weightsFrom(
          counts,
          weights.alpha,
          weights.temperature,
          weights.threshold,
          texts.filter(keep).length,
          '',
        ),
      ),
    );
  }
  return models;
}

/** The lowest threshold whose out-of-fold precision reaches TARGET_PRECISION (else the top). */
function chooseThreshold(predictions: readonly [number, boolean][]): number {
  for (const threshold of THRESHOLDS) {
    const reached = predictions.filter(([confidence]) => confidence >= threshold);
    const right = reached.filter(([, ok]) => ok).length;
    if (reached.length > 0 && right / reached.length >= TARGET_PRECISION) return threshold;
  }
  return THRESHOLDS[THRESHOLDS.length - 1];
}

/** Accuracy first; among equals, the better-calibrated (lower log-loss) candidate. */
function better(
  a: { accuracy: number; logLoss: number },
  b: { accuracy: number; logLoss: number },
): boolean {
  if (a.accuracy !== b.accuracy) return a.accuracy > b.accuracy;
  return a.logLoss < b.logLoss;
}

/** The weights file: stable key order, one feature per line, prettier's own JSON layout. */
export function serializeWeights(weights: ModelWeights): string {
  const lines = [
    '{',
    `  "format": ${JSON.stringify(weights.format)},`,
    `  "trainedOn": ${JSON.stringify(weights.trainedOn)},`,
    `  "examples": ${weights.examples},`,
    ...arrayLines(
      'intents',
      weights.intents.map((intent) => JSON.stringify(intent)),
    ),
    `  "alpha": ${weights.alpha},`,
    `  "temperature": ${weights.temperature},`,
    `  "threshold": ${weights.threshold},`,
    ...arrayLines('classDocs', weights.classDocs.map(String)),
    ...arrayLines('classTotals', weights.classTotals.map(String)),
    '  "features": {',
  ];
  const entries = Object.entries(weights.features);
  entries.forEach(([feature, encoded], i) => {
    const comma = i === entries.length - 1 ? '' : ',';
    lines.push(`    ${JSON.stringify(feature)}: ${JSON.stringify(encoded)}${comma}`);
  });
  lines.push('  }', '}');
  return `${lines.join('\n')}\n`;
}

const PRINT_WIDTH = 100;

/** An array property on one line when it fits, one element per line otherwise (as prettier). */
function arrayLines(key: string, values: readonly string[]): string[] {
  const inline = `  "${key}": [${values.join(', ')}],`;
  if (inline.length <= PRINT_WIDTH) return [inline];
  return [
    `  "${key}": [`,
    ...values.map((v, i) => `    ${v}${i < values.length - 1 ? ',' : ''}`),
    '  ],',
  ];
}
