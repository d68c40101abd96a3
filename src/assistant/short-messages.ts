import type { Intent, IntentResult } from '../intents';

/**
 * Messages answered in one line without the LLM: acknowledgements ("ok", "sí", "👍") and
 * requests to change data, which this assistant cannot do yet (a read answer to "sube la
 * coca a 20 pesos" would let the owner believe the price changed).
 *
 * These rules stand in until the intents classifier reports them itself (entities.ack /
 * entities.yesNo, isChangeRequest): then the classifier's verdict is used first.
 */

const ACK_WORDS = new Set(
  (
    'ok okay okey oki va sale vale listo perfecto si no nel simon andale enterado bien excelente ' +
    'gracias pues de acuerdo sip nop claro orale chido super'
  ).split(' '),
);
const MAX_ACK_WORDS = 3;
/** Letters or digits of any script: a text without them is only emoji or punctuation. */
const HAS_WORDS = /[\p{L}\p{N}]/u;

/** "ok", "sí", "va pues", "👍", "🙏🏽": nothing to look up, nothing to answer at length. */
export function isAcknowledgement(text: string, normalized: string): boolean {
  if (!text.trim()) return false;
  if (!HAS_WORDS.test(text)) return true;
  const words = normalized.split(/\s+/).filter(Boolean);
  return words.length > 0 && words.length <= MAX_ACK_WORDS && words.every((w) => ACK_WORDS.has(w));
}

export type ChangeKind = 'sale' | 'stock' | 'price';

const WRITE_INTENTS: Partial<Record<Intent, ChangeKind>> = {
  registrar_venta: 'sale',
  ajustar_inventario: 'stock',
};

/** Verbs (and the statement form) of a price change: "sube…", "ponle…", "el precio de X es 20". */
const PRICE_CHANGE =
  /\b(sube\w*|subir\w*|baja\w*|bajar\w*|cambia\w*|cambiar\w*|pon|ponle|ponerle|ajusta\w*|actualiza\w*|modifica\w*|aumenta\w*|rebaja\w*|nuevo precio)\b|\b(precio\b.*\bes|ahora)\b.*\d/;

/** What a message asks to change, or null when it only asks to know something. */
export function changeRequestKind(result: IntentResult, normalized: string): ChangeKind | null {
  const write = WRITE_INTENTS[result.intent];
  if (write) return write;
  if (result.intent === 'precios' && PRICE_CHANGE.test(normalized)) return 'price';
  return null;
}
