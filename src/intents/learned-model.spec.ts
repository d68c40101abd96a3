import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIntentFixture } from './evaluation';
import { foldedTextOf, forEachFeature } from './learned-features';
import { compileModel, MODEL_FORMAT, predictLearned, type ModelWeights } from './learned-model';
import { serializeWeights, trainModel } from './learned-training';
import { INTENTS } from './intent.types';

const ROOT = join(__dirname, '../..');
const WEIGHTS_FILE = join(__dirname, 'intent-model.json');

describe('learned features', () => {
  it('folds words by sound and numbers to #, then cuts 2–4-grams and words', () => {
    expect(foldedTextOf('Vendí 2 cocas a $18')).toBe(' bendi # kokas a $ ');
    expect(foldedTextOf('bendi 7 kokas a $5')).toBe(foldedTextOf('vendí 2 cocas a $18'));
    const features: string[] = [];
    forEachFeature(' ab c ', (feature) => features.push(feature));
    expect(features).toEqual([
      ' a',
      'ab',
      'b ',
      ' c',
      'c ', // 2-grams (the " " alone and "  " are skipped)
      ' ab',
      'ab ',
      'b c',
      ' c ', // 3-grams
      ' ab ',
      'ab c',
      'b c ', // 4-grams
      'w:ab',
      'w:c',
    ]);
  });

  it('emits each distinct feature once', () => {
    const seen: string[] = [];
    forEachFeature(' la la la ', (feature) => seen.push(feature));
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('learned model', () => {
  /** Two intents seen, two features; every number below is worked out by hand from it. */
  const tiny: ModelWeights = {
    format: MODEL_FORMAT,
    trainedOn: 'hand',
    examples: 3,
    intents: [...INTENTS],
    alpha: 1,
    temperature: 1,
    threshold: 0.6,
    classDocs: [2, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    classTotals: [2, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    features: { 'w:x': '0:2', 'w:y': '1:1' },
  };

  it('scores with smoothed counts and a softmax', () => {
    const model = compileModel(tiny);
    // P(x|ventas) = (2+1)/(2+2), P(x|inventario) = (0+1)/(1+2), P(x|other) = 1/2;
    // priors (2+1)/13, (1+1)/13, 1/13. Only "w:x" of the text's features is known.
    const score = [Math.log(3 / 13) + Math.log(3 / 4), Math.log(2 / 13) + Math.log(1 / 3)];
    const other = Math.log(1 / 13) + Math.log(1 / 2);
    const sum = Math.exp(score[0]) + Math.exp(score[1]) + 8 * Math.exp(other);
    const probability = Math.exp(score[0]) / sum;
    const prediction = predictLearned(model, ' x ');
    expect(prediction.intent).toBe('ventas');
    // ' x ' has features ' x', 'x ', ' x ', 'w:x': one known out of four → coverage 0.25,
    // confidence scaled by 0.25 / 0.6.
    expect(prediction.coverage).toBe(0.25);
    expect(prediction.confidence).toBeCloseTo(probability * (0.25 / 0.6), 3);
  });

  it('says nothing confident about text it has never seen', () => {
    expect(predictLearned(compileModel(tiny), ' zzz ').confidence).toBe(0);
  });

  it('refuses weights of another format or label list', () => {
    expect(() => compileModel({ ...tiny, format: 'other/1' })).toThrow(/format/);
    expect(() => compileModel({ ...tiny, intents: ['ventas'] })).toThrow(/intent list/);
  });
});

describe('training (npm run intents:train)', () => {
  jest.setTimeout(60_000);
  const tuning = parseIntentFixture(readFileSync(join(ROOT, 'test/fixtures/intents.tsv'), 'utf8'));
  const first = trainModel(tuning);
  const serialized = serializeWeights(first.weights);

  it('is deterministic: the same fixture gives the same bytes', () => {
    expect(serializeWeights(trainModel(tuning).weights)).toBe(serialized);
  });

  it('ships weights trained on the current fixture (re-run intents:train when this fails)', () => {
    expect(readFileSync(WEIGHTS_FILE, 'utf8') === serialized).toBe(true);
  });

  it('keeps the weights file compact and valid JSON', () => {
    expect(Buffer.byteLength(serialized)).toBeLessThan(300 * 1024);
    expect(JSON.parse(serialized)).toEqual(first.weights);
  });

  it('learns something: cross-validated accuracy well above chance, threshold ≥ 0.55', () => {
    expect(first.cvAccuracy).toBeGreaterThan(0.8);
    expect(first.weights.threshold).toBeGreaterThanOrEqual(0.55);
    expect(first.cvPrecisionAtThreshold).toBeGreaterThanOrEqual(0.95);
  });
});
