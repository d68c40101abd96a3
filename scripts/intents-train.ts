/**
 * `npm run intents:train`: trains the learned intent model (multinomial naive Bayes over char
 * 2–4-grams and words, src/intents/learned-*.ts) on test/fixtures/intents.tsv, writes its
 * weights to src/intents/intent-model.json (deterministic: same fixture → same bytes), then
 * reports per-intent accuracy of the rules alone, the model alone and the two combined the way
 * classifyIntent combines them:
 *  - on the tuning set by 5-fold cross-validation (each fold scored by a model trained without
 *    it; the rules were written looking at the whole tuning set, so their figure is not out of
 *    sample);
 *  - on the held-out set, with the model just trained.
 * `--check` trains and compares instead of writing: exit 1 when the shipped file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyWith } from '../src/intents/classify-intent';
import {
  evaluate,
  evaluateFolds,
  formatAccuracy,
  formatConfusionMatrix,
  formatMisses,
  parseIntentFixture,
  type EvaluationReport,
} from '../src/intents/evaluation';
import { foldedTextOf } from '../src/intents/learned-features';
import { compileModel, predictLearned, type CompiledModel } from '../src/intents/learned-model';
import {
  CV_FOLDS,
  foldModels,
  foldOf,
  serializeWeights,
  trainModel,
} from '../src/intents/learned-training';
import type { ClassifyOptions, IntentResult } from '../src/intents/intent.types';

const ROOT = join(__dirname, '..');
const TUNING = 'test/fixtures/intents.tsv';
const HELD_OUT = 'test/fixtures/intents.heldout.tsv';
const WEIGHTS = 'src/intents/intent-model.json';
// A fixed reference instant keeps the run reproducible (periods do not affect the label).
const NOW = new Date('2026-11-23T18:00:00Z');
const options: ClassifyOptions = { now: NOW };

const load = (file: string) => parseIntentFixture(readFileSync(join(ROOT, file), 'utf8'));

/** The model alone, shaped like a classification so the same scorer counts it. */
const learnedOnly =
  (model: CompiledModel) =>
  (text: string): IntentResult => {
    const prediction = predictLearned(model, foldedTextOf(text));
    return {
      intent: prediction.intent,
      confidence: prediction.confidence,
      entities: {},
      decidedBy: 'learned',
      unsure: prediction.confidence < model.threshold,
    };
  };

function section(title: string, report: EvaluationReport, withMisses: boolean): string[] {
  const out = ['', `-- ${title}`, formatAccuracy(report)];
  if (withMisses) {
    out.push('', formatConfusionMatrix(report));
    if (report.misses.length > 0) out.push('', 'misses:', formatMisses(report));
  }
  return out;
}

function main(): void {
  const check = process.argv.includes('--check');
  const tuning = load(TUNING);
  const heldOut = load(HELD_OUT);

  const training = trainModel(tuning, TUNING);
  const serialized = serializeWeights(training.weights);
  const path = join(ROOT, WEIGHTS);
  const current = readFileSync(path, 'utf8');
  const out: string[] = [];
  if (check) {
    out.push(
      `${WEIGHTS}: ${current === serialized ? 'up to date' : 'STALE (run npm run intents:train)'}`,
    );
  } else {
    writeFileSync(path, serialized);
    out.push(`${WEIGHTS}: ${current === serialized ? 'unchanged' : 'written'}`);
  }
  const { weights } = training;
  out.push(
    `trained on ${TUNING}: ${weights.examples} messages, ${Object.keys(weights.features).length} features, ` +
      `${(Buffer.byteLength(serialized) / 1024).toFixed(1)} KiB`,
    `chosen by ${CV_FOLDS}-fold CV: alpha ${weights.alpha}, temperature ${weights.temperature}, ` +
      `threshold ${weights.threshold} (CV precision ${(training.cvPrecisionAtThreshold * 100).toFixed(1)}% ` +
      `on the ${(training.cvCoverageAtThreshold * 100).toFixed(1)}% of messages that reach it)`,
  );

  const models = foldModels(tuning, weights);
  const rulesOnly = (text: string): IntentResult => classifyWith(text, options, undefined);
  out.push(
    '',
    `== tuning set ${TUNING} (${tuning.length} messages), ${CV_FOLDS}-fold cross-validation`,
    ...section(
      'rules alone (not out of sample: the rules were tuned on this set)',
      evaluate(tuning, options, rulesOnly),
      false,
    ),
    ...section(
      'learned model alone',
      evaluateFolds(tuning, foldOf, (fold) => learnedOnly(models[fold])),
      false,
    ),
    ...section(
      'combined (classifyIntent)',
      evaluateFolds(tuning, foldOf, (fold) => (text) => classifyWith(text, options, models[fold])),
      true,
    ),
  );

  const model = compileModel(weights);
  const combined = evaluate(heldOut, options, (text) => classifyWith(text, options, model));
  const learnedDecided = heldOut.filter(
    (example) => classifyWith(example.text, options, model).decidedBy === 'learned',
  ).length;
  out.push(
    '',
    `== held-out set ${HELD_OUT} (${heldOut.length} messages)`,
    ...section('rules alone', evaluate(heldOut, options, rulesOnly), false),
    ...section('learned model alone', evaluate(heldOut, options, learnedOnly(model)), false),
    ...section(`combined (classifyIntent; the model decided ${learnedDecided})`, combined, true),
  );
  process.stdout.write(`${out.join('\n')}\n`);
  if (check && current !== serialized) process.exitCode = 1;
}

main();
