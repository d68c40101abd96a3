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

/**
 * Changing data from WhatsApp (sales, stock, prices) is not built yet: say plainly that
 * nothing was changed, so the owner never believes it was.
 */
export const NOTHING_CHANGED: Record<'sale' | 'stock' | 'price', string> = {
  sale: 'No registré nada: todavía no puedo anotar ventas desde WhatsApp, solo consultar tus datos. Regístrala en tu punto de venta y yo te doy los números. 📊',
  stock:
    'No cambié tu inventario: todavía no puedo registrar entradas, mermas ni ajustes desde WhatsApp, solo consultar tus datos. Regístralo en tu punto de venta. 📦',
  price:
    'No cambié ningún precio: todavía no puedo modificar precios desde WhatsApp, solo consultarlos. Cámbialo en tu punto de venta. 🏷️',
};

/** "ok", "sí", "👍": one line, nothing to look up. */
/** Once per window to a chat sending faster than it can be answered. */
export const SLOW_DOWN =
  'Espera un momento, me llegaron muchos mensajes seguidos. En un minuto te sigo contestando. 🙏';

/** The shop spent the tokens it may use today (its daily cap). */
export const DAILY_CAP_REACHED =
  'Por hoy ya usaste todas las consultas que tu tienda tiene permitidas. Mañana te sigo ayudando; si lo necesitas antes, pide a tu proveedor que suba el límite diario.';

export const ACKNOWLEDGED = '👌 Aquí ando para lo que necesites.';

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

/** One line of what can be asked, under a level-2 answer. */
export const SHORT_MENU =
  'Pregúntame por tus ventas, ganancias, inventario o precios, de la tienda o de un producto.';

/** The owner turned the daily close on (or changed its time). */
export function dailyCloseOnText(time: string): string {
  return (
    `✅ Listo: todos los días a las ${time} te mando el cierre del día (ventas, ganancia, ` +
    'lo más vendido, qué surtir y tus tokens). Para quitarlo escribe «quitar cierre diario».'
  );
}

export const DAILY_CLOSE_OFF =
  'Listo, ya no te mando el cierre del día. Para volver a recibirlo escribe «cierre diario».';

export const DAILY_CLOSE_OWNER_ONLY =
  'El cierre del día solo lo puede activar el dueño de la tienda.';
