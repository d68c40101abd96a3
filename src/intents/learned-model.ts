import { forEachFeature } from './learned-features';
import { INTENTS, type Intent } from './intent.types';

/**
 * A multinomial naive Bayes over the features of learned-features.ts, trained by
 * `npm run intents:train` (learned-training.ts) from test/fixtures/intents.tsv. The weights file
 * stores integer counts (compact, exact, diff-able); log-probabilities are computed once at
 * load. Scores are divided by a temperature chosen by cross-validation so that the returned
 * probability is a usable confidence rather than naive Bayes' usual 0.999.
 */
export const MODEL_FORMAT = 'changarrito-intents-nb/1';

/** The JSON written by the trainer. */
export interface ModelWeights {
  format: string;
  trainedOn: string;
  examples: number;
  intents: string[];
  /** Additive (Lidstone) smoothing of the feature counts. */
  alpha: number;
  temperature: number;
  /** The model decides alone from this confidence up (chosen by cross-validation). */
  threshold: number;
  /** Messages per intent. */
  classDocs: number[];
  /** Feature occurrences per intent (each message counts each distinct feature once). */
  classTotals: number[];
  /** feature → "classIndex:count,classIndex:count" (classes with a zero count left out). */
  features: Record<string, string>;
}

export interface CompiledModel {
  readonly intents: readonly Intent[];
  readonly logPrior: Float64Array;
  /** log P(feature | class) for every class, for features seen in training. */
  readonly logLikelihood: ReadonlyMap<string, Float64Array>;
  readonly temperature: number;
  readonly threshold: number;
}

export interface LearnedPrediction {
  intent: Intent;
  /** The calibrated probability of `intent`, scaled down when few features were known. */
  confidence: number;
  /** Share of the message's features the model has seen, in [0, 1]. */
  coverage: number;
}

/** Below this coverage the model is looking at mostly unknown text and says so. */
const FULL_COVERAGE = 0.6;

export function compileModel(weights: ModelWeights): CompiledModel {
  if (weights.format !== MODEL_FORMAT) {
    throw new Error(`intent model: unknown format "${weights.format}"`);
  }
  if (weights.intents.join() !== INTENTS.join()) {
    throw new Error('intent model: trained for another intent list; run npm run intents:train');
  }
  const classes = INTENTS.length;
  const featureCount = Object.keys(weights.features).length;
  const totalDocs = weights.classDocs.reduce((sum, n) => sum + n, 0);
  const logPrior = new Float64Array(classes);
  const logUnseen = new Float64Array(classes);
  for (let c = 0; c < classes; c++) {
    logPrior[c] = Math.log((weights.classDocs[c] + 1) / (totalDocs + classes));
    logUnseen[c] = Math.log(
      weights.alpha / (weights.classTotals[c] + weights.alpha * featureCount),
    );
  }
  const logLikelihood = new Map<string, Float64Array>();
  for (const [feature, encoded] of Object.entries(weights.features)) {
    const row = Float64Array.from(logUnseen);
    for (const pair of encoded.split(',')) {
      const [c, n] = pair.split(':').map(Number);
      row[c] = Math.log(
        (n + weights.alpha) / (weights.classTotals[c] + weights.alpha * featureCount),
      );
    }
    logLikelihood.set(feature, row);
  }
  return {
    intents: INTENTS,
    logPrior,
    logLikelihood,
    temperature: weights.temperature,
    threshold: weights.threshold,
  };
}

export interface RawScores {
  /** Log prior + log likelihood of the known features, per class (reused buffer). */
  scores: Float64Array;
  coverage: number;
}

const buffer = new Float64Array(INTENTS.length);

/** Unscaled naive Bayes scores; `into` is overwritten (defaults to a shared buffer). */
export function rawScores(
  model: CompiledModel,
  text: string,
  into: Float64Array = buffer,
): RawScores {
  into.set(model.logPrior);
  let known = 0;
  let total = 0;
  forEachFeature(text, (feature) => {
    total++;
    const row = model.logLikelihood.get(feature);
    if (row === undefined) return;
    known++;
    for (let c = 0; c < into.length; c++) into[c] += row[c];
  });
  return { scores: into, coverage: total === 0 ? 0 : known / total };
}

/** Softmax probability of `label` at `temperature`. */
export function probabilityOf(scores: Float64Array, label: number, temperature: number): number {
  let max = -Infinity;
  for (const score of scores) if (score > max) max = score;
  let sum = 0;
  for (const score of scores) sum += Math.exp((score - max) / temperature);
  return Math.exp((scores[label] - max) / temperature) / sum;
}

export function bestClass(scores: Float64Array): number {
  let best = 0;
  for (let c = 1; c < scores.length; c++) if (scores[c] > scores[best]) best = c;
  return best;
}

/** The probability of the best class, scaled down when few of the features were known. */
export function confidenceOf(scores: Float64Array, coverage: number, temperature: number): number {
  const probability = probabilityOf(scores, bestClass(scores), temperature);
  return Math.round(probability * Math.min(1, coverage / FULL_COVERAGE) * 1000) / 1000;
}

/** Pure; `text` is learned-features' foldedText of the message. */
export function predictLearned(model: CompiledModel, text: string): LearnedPrediction {
  const { scores, coverage } = rawScores(model, text);
  return {
    intent: model.intents[bestClass(scores)],
    confidence: confidenceOf(scores, coverage, model.temperature),
    coverage: Math.round(coverage * 1000) / 1000,
  };
}
