import { Cue, CUE_COUNT } from './lexicon';
import { phoneticKey } from './phonetic-key';
import { analyzeToken, NumberKind, type Phrase, type TokenInfo } from './token-analyzer';

/**
 * What the rules look at: how often each cue occurs plus a few shape facts (is it a question,
 * is there a "2 cocas"-style quantity, a price, arithmetic). One module-level instance is
 * reused for every message: classification is synchronous, and this keeps the hot path free of
 * per-message allocations beyond the token strings themselves.
 */
export interface Features {
  readonly counts: Uint8Array;
  readonly tokens: TokenInfo[];
  /** 1 where a token was swallowed by a phrase match (its own cues were not counted). */
  readonly consumed: Uint8Array;
  count: number;
  contentCount: number;
  questionMark: boolean;
  question: boolean;
  /** 0 none, 1 only article-like ("una coca"), 2 digits or number words ("2 cocas", "dos cocas"). */
  quantity: 0 | 1 | 2;
  priceMention: boolean;
  /** A price no one could read as a count: "$18", "18 pesos", "cuesta 18" (not a bare "a 18"). */
  strongPrice: boolean;
  /** A target number: "a 30", "en 12", "son 25", "a 30 piezas" ("ajusta las cocas a 30"). */
  setTarget: boolean;
  /** How many digit or number-word tokens the message has ("son 9" has one). */
  numbers: number;
  math: boolean;
  howToBot: boolean;
  /** At least one cue that is neither greeting/thanks/ack nor filler. */
  substantive: boolean;
  /**
   * Index of the token where a reason starts ("... porque siento que vendí harto"), or `count`
   * when the message gives none: what follows explains the request, it does not ask.
   */
  reasonFrom: number;
}

const MAX_TOKENS = 64;
/** "29.50", "12.90": an amount with cents is money, never a count of pieces. */
const CENTS = /^\d+[.,]\d\d$/;

const KEY = {
  a: phoneticKey('a'),
  en: phoneticKey('en'),
  de: phoneticKey('de'),
  del: phoneticKey('del'),
  y: phoneticKey('y'),
  por: phoneticKey('por'),
  mas: phoneticKey('mas'),
  menos: phoneticKey('menos'),
  entre: phoneticKey('entre'),
  son: phoneticKey('son'),
  el: phoneticKey('el'),
  la: phoneticKey('la'),
  cada: phoneticKey('cada'),
  packArticles: new Set(['la', 'el', 'una', 'un', 'esa', 'ese'].map(phoneticKey)),
  deja: new Set(['deja', 'dejame', 'dejale', 'dejalas', 'dejalos'].map(phoneticKey)),
  moneyUnits: new Set(
    ['pesos', 'peso', 'varos', 'baros', 'mxn', 'centavos', 'centavo'].map(phoneticKey),
  ),
  /** A number followed by one of these right after a product is its size ("coca 2 l"). */
  measureUnits: new Set(
    ['l', 'lt', 'lts', 'litro', 'litros', 'ml', 'g', 'gr', 'grs', 'gramos', 'kg', 'oz'].map(
      phoneticKey,
    ),
  ),
  howToSkip: new Set(
    [
      ...['le', 'se', 'te', 'lo', 'hago', 'hacer', 'puedo', 'para', 'debo', 'hay', 'que', 'tengo'],
      ...['si', 'quiero', 'queria', 'ocupo'],
    ].map(phoneticKey),
  ),
  que: phoneticKey('que'),
  words: new Set(['palabras', 'palabra', 'frase', 'frases'].map(phoneticKey)),
  no: phoneticKey('no'),
  le: phoneticKey('le'),
  te: phoneticKey('te'),
  /**
   * "qué hago / qué le escribo / qué te digo para ...": a how-to question without "cómo"; so is
   * "con qué palabras te pido el reporte" (which words to use).
   */
  queVerbs: new Set(
    [
      ...['hago', 'escribo', 'digo', 'pongo', 'mando', 'pregunto'],
      ...['palabras', 'palabra', 'frase', 'frases'],
    ].map(phoneticKey),
  ),
};

const INTERROGATIVE = new Set<Cue>([
  Cue.HowMuch,
  Cue.What,
  Cue.How,
  Cue.Which,
  Cue.Who,
  Cue.Why,
  Cue.Where,
  Cue.When,
  Cue.PriceAsk,
]);
const SOCIAL = new Set<Cue>([
  Cue.Greet,
  Cue.Thanks,
  Cue.Bye,
  Cue.Ack,
  Cue.Filler,
  Cue.Show,
  // "¿puedes decirme cuánto vendí?": politeness in front of the request.
  Cue.Capability,
]);
const HOW_TO_TARGETS = new Set<Cue>([Cue.BotAction, Cue.Record, Cue.Add, Cue.SetStock, Cue.Change]);

const features: Features = {
  counts: new Uint8Array(CUE_COUNT),
  tokens: [],
  consumed: new Uint8Array(MAX_TOKENS),
  count: 0,
  contentCount: 0,
  questionMark: false,
  question: false,
  quantity: 0,
  priceMention: false,
  strongPrice: false,
  setTarget: false,
  numbers: 0,
  math: false,
  howToBot: false,
  substantive: false,
  reasonFrom: 0,
};

export function extractFeatures(normalized: string, raw: string): Features {
  const f = features;
  f.counts.fill(0);
  f.consumed.fill(0);
  tokenize(normalized, f);
  f.questionMark = raw.includes('?') || raw.includes('¿');
  f.contentCount = 0;
  f.quantity = 0;
  f.priceMention = false;
  f.strongPrice = false;
  f.setTarget = false;
  f.numbers = 0;
  f.math = false;
  f.howToBot = false;
  f.substantive = false;
  f.reasonFrom = f.count;

  const { tokens, consumed, count } = f;
  // Only greetings, fillers and stop words so far: a "porque" here still asks why.
  let leading = true;
  let i = 0;
  while (i < count) {
    const phrase = phraseAt(tokens, i, count);
    if (phrase !== undefined) {
      const length = phrase.rest.length + 1;
      for (const cue of phrase.cues) {
        if (cue === Cue.Why && isConnective(leading, i + length, count)) {
          if (f.reasonFrom === count) f.reasonFrom = i;
          continue;
        }
        countCue(f, cue);
      }
      if (phrase.cues.some((cue) => !SOCIAL.has(cue))) leading = false;
      consumed.fill(1, i, i + length);
      i += length;
      continue;
    }
    const token = tokens[i];
    for (const cue of token.cues) {
      // "una caja de huevos", "10 paquetes de galletas": a pack size, not cash or a token package.
      if ((cue === Cue.Package || cue === Cue.Cash) && isPackSize(tokens, i, count)) continue;
      if (cue === Cue.Why && isConnective(leading, i + 1, count)) {
        if (f.reasonFrom === count) f.reasonFrom = i;
        continue;
      }
      countCue(f, cue);
    }
    if (token.content || token.cues.some((cue) => !SOCIAL.has(cue))) leading = false;
    if (token.content) f.contentCount++;
    if (token.money) f.priceMention = f.strongPrice = true;
    if (token.numberKind === NumberKind.Digits || token.numberKind === NumberKind.Word) f.numbers++;
    // "son 16, no 18", "tengo 3 y no 5": a number denied after another one is a correction.
    if (
      token.key === KEY.no &&
      f.numbers > 0 &&
      i + 1 < count &&
      tokens[i + 1].numberKind === NumberKind.Digits
    ) {
      countCue(f, Cue.Correction);
    }
    if (token.numberKind !== NumberKind.None) inspectNumber(f, i);
    if (!f.howToBot && (token.cues.includes(Cue.How) || isQueHago(tokens, i))) {
      f.howToBot = isHowToBot(f, i);
    }
    i++;
  }
  f.question = f.questionMark || f.counts[Cue.HowMuch] > 0 || startsWithInterrogative(f);
  if (f.setTarget && startsWithDeja(f)) {
    // "deja las cocas en 12" is an order to set the stock, not "lo que me deja" (profit).
    if (f.counts[Cue.Leaves] > 0) f.counts[Cue.Leaves]--;
    countCue(f, Cue.SetStock);
  }
  return f;
}

/**
 * "quiero saber cuánto gané porque siento que vendí harto", "¿con qué frases te hablo para que me
 * entiendas?": a "porque / para que" after the request (and not closing the message, "¿y eso
 * porque?") explains it; it does not ask why, so a long chatty message keeps its intent.
 */
function isConnective(leading: boolean, next: number, count: number): boolean {
  return !leading && next < count;
}

function countCue(f: Features, cue: Cue): void {
  f.counts[cue]++;
  if (!SOCIAL.has(cue)) f.substantive = true;
}

function tokenize(normalized: string, f: Features): void {
  const tokens = f.tokens;
  let count = 0;
  let start = 0;
  const length = normalized.length;
  while (start < length && count < MAX_TOKENS) {
    let end = normalized.indexOf(' ', start);
    if (end === -1) end = length;
    tokens[count++] = analyzeToken(normalized.slice(start, end));
    start = end + 1;
  }
  f.count = count;
}

/** The longest lexicon phrase starting at token i, if any. */
export function phraseAt(
  tokens: readonly TokenInfo[],
  i: number,
  count: number,
): Phrase | undefined {
  const phrases = tokens[i].phrases;
  if (phrases === undefined) return undefined;
  for (const phrase of phrases) {
    const rest = phrase.rest;
    if (i + rest.length >= count) continue;
    let ok = true;
    for (let k = 0; k < rest.length; k++) {
      if (tokens[i + 1 + k].key !== rest[k]) {
        ok = false;
        break;
      }
    }
    if (ok) return phrase;
  }
  return undefined;
}

function isPackSize(tokens: readonly TokenInfo[], i: number, count: number): boolean {
  const prevKind = i > 0 ? tokens[i - 1].numberKind : NumberKind.None;
  if (prevKind === NumberKind.Digits || prevKind === NumberKind.Word) return true;
  // "12 huevos de la caja", "las cocas del paquete": the pack a product came in.
  if (i >= 3 && KEY.packArticles.has(tokens[i - 1].key)) {
    const of = tokens[i - 2].key;
    if ((of === KEY.de || of === KEY.del) && tokens[i - 3].content) return true;
  }
  const next = i + 1 < count ? tokens[i + 1].key : '';
  if ((next !== KEY.de && next !== KEY.del) || i + 2 >= count) return false;
  const after = tokens[i + 2];
  return after.content || after.numberKind !== NumberKind.None;
}

function isUnitLike(token: TokenInfo): boolean {
  return token.cues.includes(Cue.Unit) || token.key === KEY.de || token.key === KEY.del;
}

/** A number is a price when it reads like one: "$18", "a 18", "18 pesos", "cuesta 18". */
export function isPriceNumber(tokens: readonly TokenInfo[], i: number, count: number): boolean {
  const token = tokens[i];
  if (token.money || CENTS.test(token.text)) return true;
  const prev = i > 0 ? tokens[i - 1] : undefined;
  const next = i + 1 < count ? tokens[i + 1] : undefined;
  if (next !== undefined && KEY.moneyUnits.has(next.key)) return true;
  if (perUnit(tokens, i, count)) return true;
  if (prev === undefined) return false;
  if (prev.money || afterCostVerb(token, prev)) return true;
  // "a 18" is a price, "a 30 piezas" a count.
  return (
    prev.key === KEY.a && (next === undefined || (!next.content && !next.cues.includes(Cue.Unit)))
  );
}

/** "32 el kilo", "12 la pieza", "5 cada uno": an amount per unit is a price. */
function perUnit(tokens: readonly TokenInfo[], i: number, count: number): boolean {
  if (i + 2 >= count) return false;
  const article = tokens[i + 1].key;
  if (article !== KEY.el && article !== KEY.la && article !== KEY.cada) return false;
  return tokens[i + 2].cues.includes(Cue.Unit);
}

/** "$18", "18 pesos", "cuesta 18": a price even without a price word. */
function isStrongPrice(tokens: readonly TokenInfo[], i: number, count: number): boolean {
  const token = tokens[i];
  if (token.money || CENTS.test(token.text)) return true;
  const prev = i > 0 ? tokens[i - 1] : undefined;
  const next = i + 1 < count ? tokens[i + 1] : undefined;
  if (next !== undefined && KEY.moneyUnits.has(next.key)) return true;
  if (perUnit(tokens, i, count)) return true;
  return prev !== undefined && (prev.money || afterCostVerb(token, prev));
}

/**
 * "cuesta 18", "la doy en 15": a number after a cost verb. Not an article ("me das una receta",
 * "te doy un consejo"): "un peso" is still a price through its money unit.
 */
function afterCostVerb(token: TokenInfo, prev: TokenInfo): boolean {
  return prev.cues.includes(Cue.CostVerb) && token.numberKind !== NumberKind.Article;
}

function inspectNumber(f: Features, i: number): void {
  const { tokens, count } = f;
  const token = tokens[i];
  const prev = i > 0 ? tokens[i - 1] : undefined;
  const next = i + 1 < count ? tokens[i + 1] : undefined;
  const strong = isStrongPrice(tokens, i, count);
  if (
    !strong &&
    prev !== undefined &&
    (prev.key === KEY.a || prev.key === KEY.en || prev.key === KEY.son) &&
    (next === undefined || !next.content)
  ) {
    f.setTarget = true;
  }
  if (isPriceNumber(tokens, i, count)) {
    f.priceMention = true;
    if (strong) f.strongPrice = true;
    return;
  }
  if (
    next !== undefined &&
    (next.key === KEY.por ||
      next.key === KEY.mas ||
      next.key === KEY.menos ||
      next.key === KEY.entre) &&
    i + 2 < count &&
    tokens[i + 2].numberKind === NumberKind.Digits
  ) {
    f.math = true;
    return;
  }
  // "coca 2 l", "coca 600 ml": the product's size, not how many.
  if (prev?.content && next !== undefined && KEY.measureUnits.has(next.key)) return;
  let j = i + 1;
  while (j < count && (isUnitLike(tokens[j]) || tokens[j].numberKind === NumberKind.Word)) j++;
  // "2 cocas", and "30 piezas" with the product named before ("las cocas a 30 piezas").
  const packOnly =
    next !== undefined &&
    next.cues.includes(Cue.Unit) &&
    (j === count || !tokens[j].content) &&
    prev?.key !== KEY.de && // "coca de 2 litros" is a size
    prev?.key !== KEY.del;
  if ((j < count && tokens[j].content) || packOnly) {
    const strength = token.numberKind === NumberKind.Article ? 1 : 2;
    if (strength > f.quantity) f.quantity = strength;
  }
}

function startsWithDeja(f: Features): boolean {
  const { tokens, count } = f;
  for (let i = 0; i < count; i++) {
    if (KEY.deja.has(tokens[i].key)) return true;
    if (!tokens[i].cues.some((cue) => SOCIAL.has(cue))) return false;
  }
  return false;
}

/** "cómo registro una venta", "cómo le hago para anotar": a how-to about the bot itself. */
function isHowToBot(f: Features, i: number): boolean {
  const { tokens, count } = f;
  // "con qué frases te hablo", "qué palabras te escribo": which words to use with the bot.
  if (KEY.words.has(tokens[i].key) && i + 1 < count && tokens[i + 1].key === KEY.te) return true;
  for (let j = i + 1; j < count && j <= i + 5; j++) {
    const token = tokens[j];
    if (token.cues.some((cue) => HOW_TO_TARGETS.has(cue))) return true;
    if (!KEY.howToSkip.has(token.key)) return false;
  }
  return false;
}

/** "qué hago si quiero cambiar un precio", "qué le hago para anotar": a how-to without "cómo". */
function isQueHago(tokens: readonly TokenInfo[], i: number): boolean {
  if (!KEY.queVerbs.has(tokens[i].key) || i === 0) return false;
  const prev = tokens[i - 1].key;
  if (prev === KEY.que) return true;
  return (prev === KEY.le || prev === KEY.te) && i > 1 && tokens[i - 2].key === KEY.que;
}

/** The first word after greetings and fillers is a question word: "hola, qué me falta surtir". */
function startsWithInterrogative(f: Features): boolean {
  const { tokens, count } = f;
  let i = 0;
  while (i < count) {
    const phrase = phraseAt(tokens, i, count);
    const cues = phrase !== undefined ? phrase.cues : tokens[i].cues;
    if (cues.some((cue) => INTERROGATIVE.has(cue))) return true;
    if (!cues.some((cue) => SOCIAL.has(cue))) return false;
    i += phrase !== undefined ? phrase.rest.length + 1 : 1;
  }
  return false;
}
