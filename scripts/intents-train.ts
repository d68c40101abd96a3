/**
 * `npm run intents:train`. The intent classifier is hand-written rules (src/intents/lexicon.ts
 * and rules.ts): there are no learned weights and nothing generated to rebuild, so this script
 * does not train anything. It says so, then scores the rules on the tuning fixture and on the
 * held-out fixture (per-intent accuracy, confusion matrix, misses) and exits 0.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  evaluate,
  formatAccuracy,
  formatConfusionMatrix,
  formatMisses,
  parseIntentFixture,
} from '../src/intents/evaluation';

const FIXTURES = [
  { name: 'tuning set', file: 'test/fixtures/intents.tsv' },
  { name: 'held-out set', file: 'test/fixtures/intents.heldout.tsv' },
];
// A fixed reference instant keeps the run reproducible (periods do not affect the label).
const NOW = new Date('2026-11-23T18:00:00Z');

const root = join(__dirname, '..');
const out: string[] = [
  'intents:train: the classifier is rule-based (src/intents/lexicon.ts, rules.ts).',
  'There is no trained model and nothing generated to regenerate; to change behaviour, edit',
  'the lexicon or the rules and re-run this report and `npx jest src/intents test/intents`.',
];
for (const fixture of FIXTURES) {
  const examples = parseIntentFixture(readFileSync(join(root, fixture.file), 'utf8'));
  const report = evaluate(examples, { now: NOW });
  out.push(
    '',
    `== ${fixture.name}: ${fixture.file} (${report.total} examples)`,
    formatAccuracy(report),
    '',
    formatConfusionMatrix(report),
  );
  if (report.misses.length > 0) out.push('', 'misses:', formatMisses(report));
}
process.stdout.write(`${out.join('\n')}\n`);
