/**
 * `npm run bench:intents`: throughput and per-message latency of classifyIntent on the fixture
 * messages, on one core (this process, synchronous). Baselines measured in the same run:
 * normalizeText alone (the first step of every classification) and a trivial regex pass over the
 * same texts, so a slow machine shows up as slow baselines too.
 * Scenarios:
 *  - fixtures: the fixture messages as they are (the token cache is warm after warm-up, as it is
 *    in production where a shop's vocabulary is small);
 *  - unseen word: each message gets a never-seen-before word appended, so every call pays for
 *    one token analysis including the fuzzy keyword search (the worst realistic case);
 *  - learned path: only the fixture messages the rules alone are unsure about, so every call
 *    also runs the learned model (n-grams + naive Bayes) — the slow path's own cost.
 * Results go to stdout and to bench/results/intents.json.
 * Targets: >= 50,000 msg/s and p99 < 100 µs for the fixtures scenario.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { classifyIntent, normalizeText } from '../src/intents';
import { classifyWith, LOW_CONFIDENCE_THRESHOLD } from '../src/intents/classify-intent';
import { parseIntentFixture } from '../src/intents/evaluation';
import { QUICK, startRun, writeResult } from './support/run-info';

const ROOT = join(__dirname, '..');
// BENCH_QUICK=1: a tenth of the passes (a smoke run; the figures are noisier).
const WARMUP_PASSES = QUICK ? 20 : 200;
const THROUGHPUT_PASSES = QUICK ? 40 : 400;
const LATENCY_PASSES = QUICK ? 10 : 100;
const TARGET_MSG_PER_S = 50_000;
const TARGET_P99_US = 100;

interface Measurement {
  messages: number;
  msgPerSecond: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
}

let sink = 0; // keeps results alive so the JIT cannot drop the work

function measure(texts: readonly string[], run: (text: string) => void): Measurement {
  for (let pass = 0; pass < WARMUP_PASSES; pass++) for (const text of texts) run(text);

  const start = process.hrtime.bigint();
  for (let pass = 0; pass < THROUGHPUT_PASSES; pass++) for (const text of texts) run(text);
  const elapsedNs = Number(process.hrtime.bigint() - start);
  const messages = THROUGHPUT_PASSES * texts.length;

  // Per-message timings include ~50 ns of hrtime overhead; fine against a 100 µs target.
  const samples = new Float64Array(LATENCY_PASSES * texts.length);
  let n = 0;
  for (let pass = 0; pass < LATENCY_PASSES; pass++) {
    for (const text of texts) {
      const t0 = process.hrtime.bigint();
      run(text);
      samples[n++] = Number(process.hrtime.bigint() - t0) / 1000;
    }
  }
  samples.sort();
  const pct = (p: number): number => round(samples[Math.min(n - 1, Math.floor(p * n))]);
  return {
    messages,
    msgPerSecond: Math.round(messages / (elapsedNs / 1e9)),
    p50Us: pct(0.5),
    p90Us: pct(0.9),
    p99Us: pct(0.99),
    maxUs: round(samples[n - 1]),
  };
}

const round = (value: number): number => Math.round(value * 100) / 100;

function main(): void {
  const info = startRun('intents');
  const texts = [
    ...parseIntentFixture(readFileSync(join(ROOT, 'test/fixtures/intents.tsv'), 'utf8')),
    ...parseIntentFixture(readFileSync(join(ROOT, 'test/fixtures/intents.heldout.tsv'), 'utf8')),
  ].map((example) => example.text);

  const trivialRegex = /\b(?:vend|cuant|hola|precio|token)/i;
  const baselineRegex = measure(texts, (text) => {
    if (trivialRegex.test(text)) sink++;
  });
  const baselineNormalize = measure(texts, (text) => {
    sink += normalizeText(text).length;
  });
  const classify = measure(texts, (text) => {
    sink += classifyIntent(text).confidence;
  });

  // A fresh word per call: "…zqx1a2b". Built ahead so string building is not timed.
  let counter = 0;
  const unseenTexts: string[] = [];
  const unseenTotal = (WARMUP_PASSES + THROUGHPUT_PASSES + LATENCY_PASSES) * texts.length;
  for (let i = 0; i < unseenTotal; i++) {
    unseenTexts.push(`${texts[i % texts.length]} zqx${(counter++).toString(36)}`);
  }
  let next = 0;
  const classifyUnseen = measure(texts, () => {
    sink += classifyIntent(unseenTexts[next++]).confidence;
  });

  const rulesUnsure = texts.filter(
    (text) => classifyWith(text, {}, undefined).confidence < LOW_CONFIDENCE_THRESHOLD,
  );
  const classifyLearnedPath = measure(rulesUnsure, (text) => {
    sink += classifyIntent(text).confidence;
  });

  const meetsThroughput = classify.msgPerSecond >= TARGET_MSG_PER_S;
  const meetsP99 = classify.p99Us < TARGET_P99_US;
  const result = {
    cpu: cpus()[0]?.model ?? 'unknown',
    fixtureMessages: texts.length,
    passes: { warmup: WARMUP_PASSES, throughput: THROUGHPUT_PASSES, latency: LATENCY_PASSES },
    targets: { msgPerSecond: TARGET_MSG_PER_S, p99Us: TARGET_P99_US },
    classifyIntent: classify,
    classifyIntentUnseenWord: classifyUnseen,
    classifyIntentLearnedPath: classifyLearnedPath,
    baselineNormalizeText: baselineNormalize,
    baselineTrivialRegex: baselineRegex,
    meetsTargets: meetsThroughput && meetsP99,
  };

  const line = (name: string, m: Measurement): string =>
    `${name.padEnd(34)} ${m.msgPerSecond.toLocaleString('en-US').padStart(12)} msg/s   p50 ${m.p50Us.toFixed(2).padStart(7)} µs   p99 ${m.p99Us.toFixed(2).padStart(7)} µs   max ${m.maxUs.toFixed(1).padStart(8)} µs`;
  process.stdout.write(
    [
      `intents bench: ${texts.length} fixture messages, node ${process.version}, ${result.cpu}`,
      line('classifyIntent (fixtures)', classify),
      line('classifyIntent (+1 unseen word)', classifyUnseen),
      line(`classifyIntent (learned path, ${rulesUnsure.length} msgs)`, classifyLearnedPath),
      line('baseline: normalizeText', baselineNormalize),
      line('baseline: trivial regex', baselineRegex),
      `targets: >= ${TARGET_MSG_PER_S.toLocaleString('en-US')} msg/s, p99 < ${TARGET_P99_US} µs → ${result.meetsTargets ? 'met' : 'MISSED'}`,
      `(checksum ${Math.round(sink) % 1000})`,
      '',
    ].join('\n'),
  );
  const perSecond = (m: Measurement) => `${m.msgPerSecond.toLocaleString('en-US')} msg/s`;
  writeResult(
    'intents',
    info,
    [
      {
        figure: 'intents classifyIntent throughput (fixtures)',
        value: classify.msgPerSecond,
        unit: 'msg/s',
        target: `≥ ${TARGET_MSG_PER_S.toLocaleString('en-US')} msg/s`,
        baseline: `normalizeText ${perSecond(baselineNormalize)}`,
        pass: meetsThroughput,
      },
      {
        figure: 'intents classifyIntent p99 (fixtures)',
        value: classify.p99Us,
        unit: 'µs',
        target: `< ${TARGET_P99_US} µs`,
        baseline: `normalizeText p99 ${baselineNormalize.p99Us} µs`,
        pass: meetsP99,
      },
      {
        figure: 'intents classifyIntent p99 (+1 unseen word)',
        value: classifyUnseen.p99Us,
        unit: 'µs',
        target: null,
        baseline: `trivial regex p99 ${baselineRegex.p99Us} µs`,
        pass: null,
      },
    ],
    result,
  );
}

main();
