import { type IntentResult, isChangeRequest } from '../intents';

/**
 * Messages answered in one line without the LLM: acknowledgements ("ok", "sí", "👍") and
 * requests to change data, which this assistant cannot do yet (a read answer to "sube la
 * coca a 20 pesos" would let the owner believe the price changed). The classifier decides
 * both (entities.ack, isChangeRequest); this only maps its verdict to the reply.
 */

/** Letters or digits of any script: a text without them is only emoji or punctuation. */
const HAS_WORDS = /[\p{L}\p{N}]/u;

/**
 * "ok", "sí", "va", "👍" (entities.ack); any text of emoji alone counts too ("❤️🔥"): there is
 * nothing in it to look up, and a model would only be paid to say so.
 */
export function isAcknowledgement(result: IntentResult, text: string): boolean {
  return result.entities.ack === true || (text.trim() !== '' && !HAS_WORDS.test(text));
}

export type ChangeKind = 'sale' | 'stock' | 'price';

/** What a message asks to change, or null when it only asks to know something. */
export function changeRequestKind(result: IntentResult): ChangeKind | null {
  if (!isChangeRequest(result)) return null;
  if (result.intent === 'registrar_venta') return 'sale';
  if (result.intent === 'ajustar_inventario') return 'stock';
  return 'price';
}
