import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyIntent } from '../../src/intents';
import {
  evaluateWritePhrases,
  formatWritePhraseReport,
  parseWritePhraseFixture,
} from '../../src/intents/write-phrase-evaluation';

const now = new Date('2026-11-23T18:00:00Z');
const phrases = parseWritePhraseFixture(
  readFileSync(join(__dirname, '../fixtures/write-phrases.tsv'), 'utf8'),
);
/** The share below which a change to the extractor is a regression, not noise. */
const MIN_FULLY_PARSED = 0.95;

describe('write phrases (test/fixtures/write-phrases.tsv)', () => {
  const report = evaluateWritePhrases(phrases, (text) => classifyIntent(text, { now }));
  // Reported on every run, pass or fail.
  console.log(
    `write-phrase extraction (${report.total} phrases)\n${formatWritePhraseReport(report)}`,
  );

  it('has at least 80 phrases covering every write operation', () => {
    expect(phrases.length).toBeGreaterThanOrEqual(80);
    const operations = new Set(phrases.map((phrase) => phrase.operation));
    expect([...operations].sort()).toEqual(['add', 'price', 'remove', 'sale', 'set']);
  });

  it(`parses at least ${MIN_FULLY_PARSED * 100}% fully: intent, operation, every item`, () => {
    if (report.fullyParsed / report.total < MIN_FULLY_PARSED) {
      throw new Error(formatWritePhraseReport(report));
    }
  });

  it('gets the intent of every write phrase right', () => {
    expect(report.failures.filter((check) => !check.intentOk).map((c) => c.phrase.text)).toEqual(
      [],
    );
  });
});
