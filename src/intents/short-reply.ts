import { phraseAt as lexiconPhraseAt, type Features } from './features';
import type { YesNo } from './intent.types';
import { Cue } from './lexicon';
import { NumberKind, wordKey } from './token-analyzer';

/**
 * Short replies ("ok", "va", "sale", "listo", "gracias", "👍", "sí", "no") are answered with a
 * line, not with the menu and not with an LLM: the caller gets `ack` (and `yesNo` for a yes or a
 * no, e.g. to confirm a pending sale). Only messages made entirely of such words count: "no hay
 * coca" or "sí vendí 2" are requests and go through the rules.
 */
export interface ShortReply {
  yesNo?: YesNo;
}

const MAX_WORDS = 6;

const keys = (words: string): ReadonlySet<string> => new Set(words.split('|').map(wordKey));

/** A yes strong enough to confirm something. "ok"/"va"/"sale" only acknowledge. */
const YES = keys(
  'si|sip|sii|simon|claro|correcto|afirmativo|confirmo|confirmado|dale|andale|exacto',
);
const NO = keys('no|nop|nope|nel|nelson|nah|negativo|cancela|cancelar|cancelalo|nunca');
/** Phrases over phonetic keys, checked before single words. */
const YES_PHRASES: readonly string[][] = [
  ['asi', 'es'],
  ['claro', 'que', 'si'],
  ['por', 'supuesto'],
  ['a', 'huevo'],
].map((words) => words.map(wordKey));
const NO_PHRASES: readonly string[][] = [
  ['mejor', 'no'],
  ['para', 'nada'],
  ['ya', 'no'],
].map((words) => words.map(wordKey));
/** Words that only soften or intensify a short reply ("muchas gracias", "va que va"). */
const SOFTENERS = keys(
  'muchas|muchisimas|mucho|mil|muy|que|pues|ps|entonces|todo|x|por|eso|asi|de|nada|ya',
);

/** "👍", "👌", "✅", "🙏": an emoji-only message that acknowledges. A wave is a greeting. */
const ACK_EMOJI =
  /^(?:[\u{1F44D}\u{1F44C}\u{2705}\u{2714}\u{1F64F}\u{1F64C}\u{1F91D}\u{1F44F}\u{1F4AA}\u{1F60A}\u{263A}\u{1F642}\u{1F600}\u{1F601}\u{2764}]|\u{FE0F}|\u{200D}|[\u{1F3FB}-\u{1F3FF}]|\s)+$/u;
/** Cues a short reply may carry: "ok", "gracias", "adiós", "porfa", the "que" of "va que va". */
const ALLOWED_CUES = new Set<Cue>([Cue.Ack, Cue.Thanks, Cue.Bye, Cue.Filler, Cue.What]);
/** "ya", "ya quedó", "enterado": acknowledgements the main lexicon does not list. */
const ACK_WORDS = keys('ya|quedo|enterado|enterada|okas|gracias|doki|oki');

const ACK_CUES = new Set<Cue>([Cue.Ack, Cue.Thanks, Cue.Bye]);

const acknowledging = (cues: readonly Cue[]): boolean => cues.some((cue) => ACK_CUES.has(cue));
const onlyAllowed = (cues: readonly Cue[]): boolean => cues.every((cue) => ALLOWED_CUES.has(cue));

/** Undefined when the message is not (only) a short reply. */
export function detectShortReply(f: Features, raw: string): ShortReply | undefined {
  const { tokens, count } = f;
  if (count === 0) return raw.trim() !== '' && ACK_EMOJI.test(raw) ? {} : undefined;
  if (count > MAX_WORDS) return undefined;
  let yes = false;
  let no = false;
  let acknowledges = false;
  for (let i = 0; i < count; i++) {
    const yesLength = phraseAt(tokens, i, count, YES_PHRASES);
    const noLength = yesLength > 0 ? 0 : phraseAt(tokens, i, count, NO_PHRASES);
    if (yesLength > 0 || noLength > 0) {
      if (yesLength > 0) yes = true;
      else no = true;
      i += Math.max(yesLength, noLength) - 1;
      continue;
    }
    const phrase = lexiconPhraseAt(tokens, i, count);
    if (phrase !== undefined) {
      // "de acuerdo", "mil gracias", "esta bien"
      if (!onlyAllowed(phrase.cues)) return undefined;
      if (acknowledging(phrase.cues)) acknowledges = true;
      i += phrase.rest.length;
      continue;
    }
    const token = tokens[i];
    if (YES.has(token.key)) yes = true;
    else if (NO.has(token.key)) no = true;
    // "sale" is also "cuánto sale": alone, the acknowledgement wins.
    else if (ACK_WORDS.has(token.key) || acknowledging(token.cues)) acknowledges = true;
    else if (token.numberKind !== NumberKind.None || token.money) return undefined;
    else if (token.cues.length > 0 ? !onlyAllowed(token.cues) : !SOFTENERS.has(token.key)) {
      return undefined;
    }
  }
  // "no, gracias" says no; "sí... no" says nothing clear; a lone "de nada" is no reply at all.
  if (yes && no) return {};
  if (yes) return { yesNo: 'yes' };
  if (no) return { yesNo: 'no' };
  return acknowledges ? {} : undefined;
}

function phraseAt(
  tokens: Features['tokens'],
  i: number,
  count: number,
  phrases: readonly string[][],
): number {
  for (const phrase of phrases) {
    if (i + phrase.length > count) continue;
    let ok = true;
    for (let k = 0; k < phrase.length && ok; k++) ok = tokens[i + k].key === phrase[k];
    if (ok) return phrase.length;
  }
  return 0;
}
