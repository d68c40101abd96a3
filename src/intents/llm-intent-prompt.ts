import { z } from 'zod';
import { INTENTS, type Intent } from './intent.types';

/**
 * When classifyIntent returns `unsure: true`, the caller may ask an LLM for the label with a
 * tiny prompt (≈ 200 tokens in, ≈ 15 out). Building the prompt and reading the reply are pure and
 * live here so the label list and the wording stay next to the classifier; sending it is the
 * caller's job (with its own timeout and budget).
 */
export interface IntentPrompt {
  messages: [{ role: 'system'; content: string }, { role: 'user'; content: string }];
  /** Enough for {"intent":"ajustar_inventario","confidence":0.9}. */
  maxTokens: number;
}

/** What each label means, one short line each: the model needs no more to choose. */
const MEANINGS: Readonly<Record<Intent, string>> = {
  ventas: 'pregunta por ventas, totales, tickets o lo más vendido',
  inventario: 'pregunta por existencias, qué se acaba o qué surtir',
  ganancias: 'pregunta por ganancia, utilidad o margen',
  registrar_venta: 'avisa una venta para anotarla ("vendí 2 cocas")',
  ajustar_inventario: 'avisa que llegó, se perdió o contó mercancía ("llegaron 24 cocas")',
  precios: 'pregunta o cambia un precio',
  saldo: 'tokens, saldo, recargas o paquetes del asistente',
  ayuda: 'qué puede hacer el asistente, menú',
  saludo: 'saludo, gracias, despedida, "ok", "sí", "no"',
  otro: 'cualquier otra cosa (consejos, plática)',
};

/** Longer messages are cut: the label rarely depends on the tail, the token bill does. */
export const MAX_PROMPT_MESSAGE_CHARS = 500;

const SYSTEM_PROMPT = [
  'Clasificas mensajes de dueños de tiendas en México. Responde SOLO con JSON:',
  '{"intent":"<etiqueta>","confidence":<0 a 1>}',
  'Etiquetas:',
  ...INTENTS.map((intent) => `${intent}: ${MEANINGS[intent]}`),
].join('\n');

export function buildIntentPrompt(text: string): IntentPrompt {
  const message = (typeof text === 'string' ? text : '').slice(0, MAX_PROMPT_MESSAGE_CHARS);
  return {
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      // JSON-quoted so the message cannot pose as instructions or break the frame.
      { role: 'user', content: `Mensaje: ${JSON.stringify(message)}` },
    ],
    maxTokens: 30,
  };
}

export type IntentReply =
  { ok: true; intent: Intent; confidence: number } | { ok: false; error: string };

const REPLY_SCHEMA = z.object({
  intent: z
    .string()
    .transform((label) => label.trim().toLowerCase())
    .pipe(z.enum(INTENTS)),
  // Missing or out-of-range confidence is not worth failing the reply over.
  confidence: z.number().finite().optional().catch(undefined),
});

/** Models asked for JSON still wrap it in ``` fences or a sentence; take the first object. */
const JSON_OBJECT = /\{[^{}]*\}/;
/** A model that trusts itself this little is not worth following over the rules. */
const DEFAULT_LLM_CONFIDENCE = 0.7;

export function parseIntentReply(reply: unknown): IntentReply {
  if (typeof reply !== 'string') return { ok: false, error: 'reply is not text' };
  const match = JSON_OBJECT.exec(reply);
  if (match === null) return { ok: false, error: 'no JSON object in the reply' };
  let json: unknown;
  try {
    json = JSON.parse(match[0]);
  } catch {
    return { ok: false, error: 'the JSON object does not parse' };
  }
  const parsed = REPLY_SCHEMA.safeParse(json);
  if (!parsed.success) return { ok: false, error: 'intent missing or not one of the labels' };
  const raw = parsed.data.confidence;
  const confidence = raw === undefined ? DEFAULT_LLM_CONFIDENCE : Math.min(1, Math.max(0, raw));
  return { ok: true, intent: parsed.data.intent, confidence };
}
