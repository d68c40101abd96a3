import { formatInt } from '../../common/money';

/**
 * The bot's fixed words. Short enough for a phone screen, in the Spanish shop owners speak.
 */
export const MENU = [
  'Esto es lo que puedo hacer por ti:',
  '• Ventas: "¿cuánto vendí hoy?", "lo más vendido de la semana"',
  '• Inventario: "¿cuántas cocas me quedan?", "¿qué me falta surtir?"',
  '• Ganancias: "¿cuánto gané este mes?"',
  '• Precios: "¿a cómo tengo el aceite?"',
  '• Saldo: "¿cuántos tokens me quedan?", "quiero recargar"',
].join('\n');

export function greeting(contactName: string | null, isThanks: boolean): string {
  if (isThanks) return '¡Con gusto! Aquí ando para lo que necesites. 🙌';
  const name = contactName?.split(/\s+/)[0];
  return `¡Hola${name ? `, ${name}` : ''}! 👋 Soy el asistente de tu tienda.\n\n${MENU}`;
}

export const HELP = MENU;

export const VOICE_NOT_SUPPORTED =
  'Recibí tu nota de voz 🎙️, pero por ahora solo entiendo mensajes escritos. ¿Me lo escribes, porfa?';

export const UNSUPPORTED_MESSAGE =
  'Por ahora solo entiendo mensajes de texto. Escríbeme tu pregunta y con gusto te ayudo.';

/** Recording sales and stock changes from WhatsApp is not built yet: say so plainly. */
export const WRITES_NOT_SUPPORTED =
  'Todavía no puedo registrar ventas ni movimientos de inventario desde WhatsApp; por ahora solo consulto tus datos. Regístralo en tu punto de venta y yo te doy los números. 📊';

/** A message longer than INBOUND_TEXT_MAX_CHARS was cut before it was read. */
export function truncatedNote(maxChars: number): string {
  return `(Tu mensaje era muy largo: solo leí los primeros ${formatInt(maxChars)} caracteres.)`;
}

/** Level 3: everything else failed. */
export const FRIENDLY_ERROR =
  'Disculpa, no pude procesar tu consulta en este momento. Intenta de nuevo en unos minutos.';

/** Level 2 lead-in: the assistant is down but the numbers are real. */
export const FALLBACK_LEAD =
  'Ahorita no pude preparar una respuesta completa, pero aquí va lo principal:';

export const GENERIC_FALLBACK = `Ahorita no pude preparar tu respuesta. Mientras tanto:\n\n${MENU}`;
