import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INTENTS, normalizeText } from '../../src/intents';
import {
  evaluate,
  formatAccuracy,
  formatConfusionMatrix,
  formatMisses,
  parseIntentFixture,
  type EvaluationReport,
  type LabelledExample,
} from '../../src/intents/evaluation';

const now = new Date('2026-11-23T18:00:00Z');
const load = (name: string): LabelledExample[] =>
  parseIntentFixture(readFileSync(join(__dirname, '../fixtures', name), 'utf8'));
const details = (title: string, report: EvaluationReport): string =>
  [
    title,
    formatAccuracy(report),
    '',
    formatConfusionMatrix(report),
    '',
    'misses:',
    formatMisses(report),
  ].join('\n');

const tuning = load('intents.tsv');
const heldOut = load('intents.heldout.tsv');
const heldOut2 = load('intents.heldout2.tsv');

describe('intent fixtures', () => {
  it('have enough examples: ≥ 400 tuning with ≥ 25 per intent, ≥ 100 held-out', () => {
    expect(tuning.length).toBeGreaterThanOrEqual(400);
    expect(heldOut.length).toBeGreaterThanOrEqual(100);
    for (const intent of INTENTS) {
      const count = tuning.filter((example) => example.intent === intent).length;
      expect({ intent, enough: count >= 25 }).toEqual({ intent, enough: true });
    }
  });

  it('keep the held-out set disjoint from the tuning set', () => {
    const seen = new Set(tuning.map((example) => normalizeText(example.text)));
    const overlap = heldOut.filter((example) => seen.has(normalizeText(example.text)));
    expect(overlap.map((example) => example.text)).toEqual([]);
  });

  it('keep the second held-out set disjoint from both, with ≥ 25 per intent', () => {
    const seen = new Set([...tuning, ...heldOut].map((example) => normalizeText(example.text)));
    const overlap = heldOut2.filter((example) => seen.has(normalizeText(example.text)));
    expect(overlap.map((example) => example.text)).toEqual([]);
    for (const intent of INTENTS) {
      const count = heldOut2.filter((example) => example.intent === intent).length;
      expect({ intent, enough: count >= 25 }).toEqual({ intent, enough: true });
    }
  });
});

describe('accuracy on the tuning set (intents.tsv)', () => {
  const report = evaluate(tuning, { now });

  it.each([...INTENTS])('%s ≥ 0.95', (intent) => {
    const score = report.perIntent[intent];
    if (score.accuracy < 0.95) {
      throw new Error(details(`${intent}: ${score.correct}/${score.total} below 0.95`, report));
    }
  });
});

describe('accuracy on the held-out set (intents.heldout.tsv)', () => {
  const report = evaluate(heldOut, { now });
  // Reported on every run, pass or fail: the held-out number is the honest estimate.
  console.log(details(`held-out accuracy (${report.total} examples)`, report));

  it(`overall ≥ 0.92 (got ${(report.accuracy * 100).toFixed(1)}%)`, () => {
    if (report.accuracy < 0.92) throw new Error(details('held-out overall below 0.92', report));
  });

  it.each(INTENTS.map((intent) => [intent, report.perIntent[intent].accuracy]))(
    '%s ≥ 0.85 (got %f)',
    (intent) => {
      const score = report.perIntent[intent as (typeof INTENTS)[number]];
      if (score.accuracy < 0.85) {
        throw new Error(details(`${intent}: ${score.correct}/${score.total} below 0.85`, report));
      }
    },
  );
});

/**
 * Written after the rules and the model were frozen (commit 47d0e52) and scored once: 97.7%
 * overall, every intent ≥ 96.3% except ganancias at 84.6% (22/26: profit asked with "me
 * deja/dejó" and "lo que me queda libre"). Those misses were then fixed in the lexicon and rules,
 * so this set is no longer held out: it stays as a regression guard, and the honest estimate is
 * the third set's (intents.heldout3.tsv), written after that change was frozen.
 */
const HELD_OUT_2_INTENT_FLOOR = 0.9;

describe('accuracy on the second held-out set (intents.heldout2.tsv)', () => {
  const report = evaluate(heldOut2, { now });
  console.log(details(`second held-out accuracy (${report.total} examples)`, report));

  it(`overall ≥ 0.92 (got ${(report.accuracy * 100).toFixed(1)}%)`, () => {
    if (report.accuracy < 0.92) throw new Error(details('held-out 2 overall below 0.92', report));
  });

  it.each(INTENTS.map((intent) => [intent, report.perIntent[intent].accuracy]))(
    `%s ≥ ${HELD_OUT_2_INTENT_FLOOR} (got %f)`,
    (intent) => {
      const score = report.perIntent[intent as (typeof INTENTS)[number]];
      if (score.accuracy < HELD_OUT_2_INTENT_FLOOR) {
        throw new Error(
          details(`${intent}: ${score.correct}/${score.total} below the floor`, report),
        );
      }
    },
  );
});

/**
 * Written blind by a separate session that read neither the rules, the lexicon nor the other
 * fixtures, handed over after the rules were frozen at commit 514843a, and scored once. 60 of its
 * 300 lines turned out to be word for word in the other sets (everyday phrasings: "gracias",
 * "cuanto vendi hoy"), so only the 240 new ones count: 87.5% overall (210/240); saludo 100,
 * saldo 96.0, registrar_venta 93.3, ventas 92.6, inventario 92.3, precios 92.3, ganancias 89.7,
 * ajustar_inventario 80.8, otro 74.1, ayuda 66.7 — below the 0.95 target for every intent but
 * saludo and saldo (all 300 lines: 90.0%). Many misses come out unsure (0.25), which production
 * sends to the LLM tier; this score is rules + learned model only. The floors are regression
 * guards set just under that single score, not targets.
 * After that score the file became tuning material (issue 10, branch intents2): the classes of
 * its misses were fixed in the lexicon/rules and 359 new training lines (not its lines) were
 * added; measured then 98.8% on the new lines, every intent ≥ 94.4%. It is no longer an
 * estimate of anything; the floors below are regression guards under that measurement.
 */
const HELD_OUT_3_OVERALL_FLOOR = 0.95;
const HELD_OUT_3_INTENT_FLOOR = 0.9;

describe('accuracy on the third held-out set (intents.heldout3.tsv, lines new to it)', () => {
  const seen = new Set(
    [...tuning, ...heldOut, ...heldOut2].map((example) => normalizeText(example.text)),
  );
  const all = load('intents.heldout3.tsv');
  const heldOut3 = all.filter((example) => !seen.has(normalizeText(example.text)));
  const report = evaluate(heldOut3, { now });
  console.log(details(`third held-out accuracy (${report.total} new examples)`, report));

  it('has 30 lines per intent, at least 200 of them new', () => {
    for (const intent of INTENTS) {
      expect(all.filter((example) => example.intent === intent)).toHaveLength(30);
    }
    expect(heldOut3.length).toBeGreaterThanOrEqual(200);
  });

  it(`overall ≥ ${HELD_OUT_3_OVERALL_FLOOR} (got ${(report.accuracy * 100).toFixed(1)}%)`, () => {
    if (report.accuracy < HELD_OUT_3_OVERALL_FLOOR) {
      throw new Error(details('held-out 3 overall below the floor', report));
    }
  });

  it.each(INTENTS.map((intent) => [intent, report.perIntent[intent].accuracy]))(
    `%s ≥ ${HELD_OUT_3_INTENT_FLOOR} (got %f)`,
    (intent) => {
      const score = report.perIntent[intent as (typeof INTENTS)[number]];
      if (score.accuracy < HELD_OUT_3_INTENT_FLOOR) {
        throw new Error(
          details(`${intent}: ${score.correct}/${score.total} below the floor`, report),
        );
      }
    },
  );
});

/**
 * The fourth set (intents.heldout4.tsv) was written blind by a session that read neither the
 * rules nor any fixture, after the classifier froze at 08f6907, and scored once on its lines
 * new to every other set: 93.1% (262 lines). Below the issue's 0.95 per intent (otro 75.0,
 * precios 87.9, ajustar_inventario 92.3, ventas 93.3), so these floors are regression guards
 * under the measured values, not the target. The next tuning round may use it; a new blind set
 * must replace it as the measure.
 * Used as tuning material by intents3 (its misses' classes fixed, none of its lines trained on):
 * 99.2% (precios 93.9: two bare "deja las maruchan en 16" read as counts, kept unsure). Tuned on,
 * so no longer an estimate; the floors guard that level.
 */
const HELD_OUT_4_OVERALL_FLOOR = 0.97;
const HELD_OUT_4_INTENT_FLOOR = 0.9;

laterHeldOutSet('fourth', 'intents.heldout4.tsv', setsBefore(4), {
  overall: HELD_OUT_4_OVERALL_FLOOR,
  perIntent: HELD_OUT_4_INTENT_FLOOR,
});

/**
 * The fifth set (intents.heldout5.tsv) was written blind by a second session at the same time
 * as the fourth, and scored once against the same frozen classifier: 95.2% on its 269 lines new
 * to sets 1-3 (ajustar_inventario 87.5, precios 87.5, otro 88.9, ayuda 94.7, the rest 100);
 * 94.8% on the 251 also new to the fourth, which this block counts. Floors: regression guards
 * under that score.
 * Used as tuning material by intents3 like the fourth: 100% (251 lines). Floors guard that level.
 */
const HELD_OUT_5_OVERALL_FLOOR = 0.97;
const HELD_OUT_5_INTENT_FLOOR = 0.9;

laterHeldOutSet('fifth', 'intents.heldout5.tsv', setsBefore(5), {
  overall: HELD_OUT_5_OVERALL_FLOOR,
  perIntent: HELD_OUT_5_INTENT_FLOOR,
});

/**
 * The sixth set (intents.heldout6.tsv) was written blind by its own session while the
 * classifier was tuned on sets 4 and 5, and scored once against the frozen 9496aa6: 95.0% on
 * its 262 lines new to every earlier set — inventario, ganancias, registrar_venta, precios,
 * saldo 100; ajustar_inventario 94.9, ventas 92.3, otro 85.3, ayuda 85.7, saludo 80.0 (4/5).
 * Still under the 0.95 for four intents; the floors are regression guards.
 * Its 13 misses were then tuned on (branch tune: their classes fixed in the lexicon/rules —
 * "corte" as ventas, period comparisons, breakage verbs, "el de <marca>" taking spoiled stock
 * back, "para qué sirve lo de / sirves para / puede usar el bot", goodbyes, "qué onda con
 * <tema>", translations/recipes/calendar/pests — and 80 new training lines, none of its
 * lines), so it is no longer blind: 100% (262/262) after tuning. A new blind set must replace
 * it as the measure; the floors stay regression guards.
 */
const HELD_OUT_6_OVERALL_FLOOR = 0.92;
const HELD_OUT_6_INTENT_FLOOR = 0.75;

laterHeldOutSet('sixth', 'intents.heldout6.tsv', setsBefore(6), {
  overall: HELD_OUT_6_OVERALL_FLOOR,
  perIntent: HELD_OUT_6_INTENT_FLOOR,
});

/**
 * The seventh set (intents.heldout7.tsv) was written blind by its own session while the
 * classifier was tuned on set 6. Scored once against 5107136 (rules frozen at 9496aa6): 95.5%
 * of its 243 lines new to every earlier set; and once against 63c84f8 (tuned on set 6, frozen
 * before this set was opened): 96.7% — ventas, inventario, ajustar_inventario, precios, saludo,
 * otro 100; registrar_venta 97.0, ganancias 95.8, saldo 88.0 (22/25), ayuda 82.4 (14/17).
 * Under the 0.95 for saldo and ayuda; the floors are regression guards.
 * Its 8 misses were then tuned on (branch tune7: their classes fixed in the lexicon/rules —
 * the cost of what was sold as ganancias, "despachar" as a sale verb, paying a top-up (oxxo,
 * tarjeta, transferencia, "no me aparece") as saldo, "cómo le hago para <meter/agregar>" and
 * "¿puedes llevar / controlar ...?" as ayuda even with a stock word, "no sé qué escribirte" as
 * ayuda — and 52 new training lines, none of its lines), so it is no longer blind: 100%
 * (243/243) after tuning. A new blind set must replace it as the measure; the floors stay
 * regression guards.
 */
const HELD_OUT_7_OVERALL_FLOOR = 0.94;
const HELD_OUT_7_INTENT_FLOOR = 0.8;

laterHeldOutSet(
  'seventh',
  'intents.heldout7.tsv',
  setsBefore(7),
  {
    overall: HELD_OUT_7_OVERALL_FLOOR,
    perIntent: HELD_OUT_7_INTENT_FLOOR,
  },
  // 87 of its lines ("hola", "cuánto vendí ayer"…) were already in earlier sets.
  240,
);

/**
 * The eighth set (intents.heldout8.tsv) was written blind by its own session while the
 * classifier was tuned on set 7, and scored once against the frozen b2df60c: 95.3% of its 258
 * lines new to every earlier set — inventario, ajustar_inventario, precios, saludo 100; otro
 * 95.8, registrar_venta 93.9, ganancias 93.3, ventas 93.1, saldo 92.6, ayuda 85.0 (17/20).
 * Under the 0.95 for five intents; the floors are regression guards.
 * Its 12 misses were then tuned on (branch tune8: their classes fixed in the lexicon/rules —
 * "compró" with a buyer named ("un señor / la vecina / un chavo compró N") as a sale, not stock
 * in; "compara lo vendido" as ventas; "lo que menos sale" as a worst seller; a ranking by profit
 * as ganancias; "¿me deja algo o lo vendo por vender?" as ganancias; what the bot costs and a
 * change of package as saldo; doubts about using the bot, "¿me puede avisar cuando ...?" and
 * "¿sirve para llevar el fiado?" as ayuda; chores ("cómo limpio el refri") as otro — and 64 new
 * training lines, none of its lines), so it is no longer blind: 100% (258/258) after tuning. A
 * new blind set must replace it as the measure; the floors stay regression guards.
 */
const HELD_OUT_8_OVERALL_FLOOR = 0.93;
const HELD_OUT_8_INTENT_FLOOR = 0.8;

laterHeldOutSet('eighth', 'intents.heldout8.tsv', setsBefore(8), {
  overall: HELD_OUT_8_OVERALL_FLOOR,
  perIntent: HELD_OUT_8_INTENT_FLOOR,
});

/**
 * The ninth set (intents.heldout9.tsv) was written blind by its own session, asked to avoid the
 * stock phrases every set has, while the classifier was tuned on set 8; scored once against the
 * frozen bc81691: 89.9% of its 277 lines new to every earlier set — registrar_venta 100;
 * ventas 96.4, saludo 93.8, saldo 93.1, otro 92.0, precios 90.3, ganancias 90.0,
 * ajustar_inventario 90.0, inventario 89.7, ayuda 63.0 (17/27: "¿puedes sacar facturas?",
 * "¿puedes escanear códigos?" — what the bot can do, read as outside questions).
 * Its 28 misses were then tuned on (branch tune9: their classes fixed in the lexicon/rules —
 * "¿puedes / puedo + a feature verb?" and "¿también llevas ...?" ask what the bot can do (ayuda,
 * even for a feature it lacks; "¿puedes darme ideas?", "¿me puedes decir cuánto vendí?" stay
 * requests), a recurring job ("automático, cada noche"), which words to use, spelling, another
 * user, a file in excel; the cooler/storeroom, "qué tan bajo ando de", "debajo del mínimo" as
 * stock questions; profit of two periods, selling under cost and the cost of goods sold as
 * ganancias; a customer's return ("estaba" no longer read as "estafa"), theft, "el stock real
 * ... pónselo" as stock writes; "X ahora en 18", a customer's relayed price question and "qué
 * está más caro" as precios; the bot's credit and a notice received as saldo; "ya vi" as an
 * acknowledgement; repairs and chores as otro — and 124 new training lines, none of its lines),
 * so it is no longer blind: 100% (277/277) after tuning; sets 3-7 unchanged, set 8 100%. A new
 * blind set must replace it as the measure; the floors stay regression guards.
 */
const HELD_OUT_9_OVERALL_FLOOR = 0.88;
const HELD_OUT_9_INTENT_FLOOR = 0.6;

laterHeldOutSet('ninth', 'intents.heldout9.tsv', setsBefore(9), {
  overall: HELD_OUT_9_OVERALL_FLOOR,
  perIntent: HELD_OUT_9_INTENT_FLOOR,
});

/**
 * The tenth set (intents.heldout10.tsv) was written blind by its own session while the
 * classifier was tuned on set 9, and scored once against the frozen 89753a3: 93.8% of its 260
 * lines new to every earlier set — registrar_venta, ajustar_inventario, otro 100; precios
 * 96.8, saldo 96.6, ganancias 93.1, saludo 90.0, inventario 89.7, ventas 87.5, ayuda 76.2.
 * That once-only blind score was under the 0.95 for five intents.
 * Its 16 misses were then tuned on (branch tune10: their classes fixed in the lexicon/rules — a
 * "porque / para que" after the request explains it instead of asking why (a sale told there is not what is asked), and "pero" is no
 * longer read as "perro" (small talk), so a long chatty message keeps its clear intent word
 * (ganancia, ventas, cuánto vendí); "si bajaron / subieron las ventas" and "contra febrero" ask
 * the sales data; "lo que peor / mejor se vende" ranks sellers; "qué le pido / encargo" and
 * "reordenar" ask what to restock; "llevan menos de N" asks stock; "lana limpia" is profit;
 * "cuánto saqué de <producto>" is its sales; paying the bot by card is saldo; "¿eres capaz
 * de ...?", a reminder asked, "¿también haces ...?", which phrases to use, "aprender a usar"
 * are ayuda; "me sirvió mucho" is thanks — and 80 new training lines, none of its lines), so
 * it is no longer blind: 99.6% (259/260) after tuning, precios 96.8 ("pon la valentina en 20",
 * a bare number, stays unsure between a count and a price); sets 3-9 unchanged. A new blind
 * set must replace it as the measure; the floors stay regression guards.
 */
const HELD_OUT_10_OVERALL_FLOOR = 0.92;
const HELD_OUT_10_INTENT_FLOOR = 0.75;

laterHeldOutSet('tenth', 'intents.heldout10.tsv', setsBefore(10), {
  overall: HELD_OUT_10_OVERALL_FLOOR,
  perIntent: HELD_OUT_10_INTENT_FLOOR,
});

/**
 * The eleventh set (intents.heldout11.tsv) was written blind by its own session after the
 * classifier was tuned on set 10, and scored once against the frozen 9e3b5a1: 95.7% of its
 * 235 lines new to every earlier set — ventas, inventario, ganancias 100; registrar_venta 96.9,
 * precios 96.2, saldo 96.0, ayuda 93.3, otro 90.9, ajustar_inventario 90.3, saludo 88.9 (8/9).
 * The last blind score, not tuned on: under the 0.95 for four intents.
 */
const HELD_OUT_11_OVERALL_FLOOR = 0.94;
const HELD_OUT_11_INTENT_FLOOR = 0.85;

laterHeldOutSet(
  'eleventh',
  'intents.heldout11.tsv',
  setsBefore(11),
  { overall: HELD_OUT_11_OVERALL_FLOOR, perIntent: HELD_OUT_11_INTENT_FLOOR },
  // 95 of its lines were already in earlier sets (the everyday half of its phrasing).
  230,
);

/** The blind sets from the third up to (not including) the nth: what set n is new against. */
function setsBefore(n: number): string[] {
  return Array.from({ length: n - 3 }, (_, i) => `intents.heldout${i + 3}.tsv`);
}

/**
 * A blind set scored on its lines new to every earlier set (tuning + held-out 1–2 + `earlier`):
 * 330 lines, at least `minFresh` new, overall and per-intent floors as regression guards.
 */
function laterHeldOutSet(
  ordinal: string,
  file: string,
  earlier: string[],
  floors: { overall: number; perIntent: number },
  minFresh = 250,
): void {
  describe(`accuracy on the ${ordinal} held-out set (${file}, lines new to it)`, () => {
    const seen = new Set(
      [...tuning, ...heldOut, ...heldOut2, ...earlier.flatMap(load)].map((example) =>
        normalizeText(example.text),
      ),
    );
    const all = load(file);
    const fresh = all.filter((example) => !seen.has(normalizeText(example.text)));
    const report = evaluate(fresh, { now });
    console.log(details(`${ordinal} held-out accuracy (${report.total} new examples)`, report));

    it(`has 330 lines, at least ${minFresh} of them new`, () => {
      expect(all).toHaveLength(330);
      expect(fresh.length).toBeGreaterThanOrEqual(minFresh);
    });

    it(`overall ≥ ${floors.overall} (got ${(report.accuracy * 100).toFixed(1)}%)`, () => {
      if (report.accuracy < floors.overall) {
        throw new Error(details(`held-out ${ordinal} overall below the floor`, report));
      }
    });

    it.each(INTENTS.map((intent) => [intent, report.perIntent[intent].accuracy]))(
      `%s ≥ ${floors.perIntent} (got %f)`,
      (intent) => {
        const score = report.perIntent[intent as (typeof INTENTS)[number]];
        if (score.accuracy < floors.perIntent) {
          throw new Error(
            details(`${intent}: ${score.correct}/${score.total} below the floor`, report),
          );
        }
      },
    );
  });
}
