import { decode, encode } from 'gpt-tokenizer';
import { z } from 'zod';
import { INTENTS, type Intent } from './intent.types';

/**
 * When classifyIntent returns `unsure: true`, the caller may ask an LLM for the label with a
 * tiny prompt: at most PROMPT_TOKEN_BUDGET tokens of text in (system + message, counted with
 * gpt-tokenizer), ≈ 10 out. The labels' names say what they mean well enough for a model; the
 * per-label explanations of the first version made it 205 tokens a call. Building
 * the prompt and reading the reply are pure and live here so the label list stays next to the
 * classifier; sending it is the caller's job (with its own timeout and budget).
 */
export interface IntentPrompt {
  messages: [{ role: 'system'; content: string }, { role: 'user'; content: string }];
  /** Enough for {"intent":"ajustar_inventario"}. */
  maxTokens: number;
}

/** The whole prompt's text, system and message together. */
export const PROMPT_TOKEN_BUDGET = 60;

const SYSTEM_PROMPT = `Intención del tendero, JSON {"intent":…}: ${INTENTS.join(', ')}`;
const SYSTEM_TOKENS = encode(SYSTEM_PROMPT).length;

export function buildIntentPrompt(text: string): IntentPrompt {
  const message = typeof text === 'string' ? text : '';
  return {
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      // JSON-quoted so the message cannot pose as instructions or break the frame.
      { role: 'user', content: quotedWithin(message, PROMPT_TOKEN_BUDGET - SYSTEM_TOKENS) },
    ],
    maxTokens: 16,
  };
}

/**
 * The message, JSON-quoted, cut to its first tokens when it would not fit: the label rarely
 * depends on the tail of a message, the token bill does.
 */
function quotedWithin(message: string, budget: number): string {
  const whole = JSON.stringify(message);
  if (encode(whole).length <= budget) return whole;
  const tokens = encode(message);
  for (let keep = Math.min(tokens.length, budget); keep > 0; keep--) {
    // A cut can fall inside a multi-byte character: drop the replacement character it leaves.
    const head = decode(tokens.slice(0, keep)).replace(/\uFFFD+$/u, '');
    const quoted = JSON.stringify(head);
    if (encode(quoted).length <= budget) return quoted;
  }
  return '""';
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
