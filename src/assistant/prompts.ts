import type { Intent } from '../intents';

/** What the owner is asking about, in a few words: steers the model without a long prompt. */
const FOCUS: Partial<Record<Intent, string>> = {
  ventas: 'Pregunta por sus ventas.',
  inventario: 'Pregunta por su inventario.',
  ganancias: 'Pregunta por sus ganancias.',
  precios: 'Pregunta por precios.',
  otro: 'Consulta general sobre su negocio. No puedes cambiar datos: si lo pide, di que no se cambió nada.',
};

/**
 * A deliberately short system prompt (every token is paid from the shop's package): who we
 * are, which shop, what day it is there, and how to answer.
 */
export function systemPrompt(
  intent: Intent,
  shopName: string,
  now: Date,
  timeZone: string,
): string {
  const today = new Intl.DateTimeFormat('es-MX', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(now);
  return [
    `Asistente de la tienda "${shopName}". Hoy: ${today}.`,
    FOCUS[intent] ?? '',
    'Responde en español de México, breve (máx. 3 líneas), solo con los datos dados o de las herramientas; no inventes cifras. Usa el dinero tal como viene ($1,234.50).',
  ]
    .filter(Boolean)
    .join(' ');
}
