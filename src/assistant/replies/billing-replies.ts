import { formatInt, formatMoney } from '../../common/money';
import {
  type Balance,
  type PackageInfo,
  TYPICAL_TOKENS_PER_ANSWER,
} from '../../billing/billing.types';
import type { OutgoingMessage } from '../../whatsapp/graph-api.types';

/** How the bot talks about tokens and packages; billing returns the numbers, this says them. */

export const PACKAGE_ROW_PREFIX = 'pkg:';

export function answersLeft(available: number): number {
  return Math.floor(available / TYPICAL_TOKENS_PER_ANSWER);
}

function answersText(available: number): string {
  const n = answersLeft(available);
  if (n === 0) return 'menos de 1 respuesta';
  return n === 1 ? '≈ 1 respuesta' : `≈ ${formatInt(n)} respuestas`;
}

export function balanceText(available: number): string {
  if (available <= 0) {
    return 'Ya no te quedan tokens. Para recargar escribe *paquetes* y elige uno. 🙌';
  }
  return `Te quedan ${formatInt(available)} tokens (${answersText(available)}). Para recargar escribe *paquetes*.`;
}

export const OUT_OF_TOKENS_TEXT =
  'Se te acabaron los tokens para respuestas con IA. Escribe *paquetes* para ver las recargas; ' +
  'en cuanto confirmemos tu pago se acreditan.';

export function lowBalanceText(balance: Balance): string {
  return (
    `⚠️ Te quedan pocos tokens: ${formatInt(balance.available)} (${answersText(balance.available)}). ` +
    'Para que no te quedes sin respuestas, escribe *paquetes* y recarga.'
  );
}

export function packageSummary(p: PackageInfo): string {
  return `${formatInt(p.tokens)} tokens · ${formatMoney(p.priceCents)}`;
}

/** WhatsApp list message: one row per package; the row id comes back as `pkg:<code>`. */
export function packagesList(packages: PackageInfo[]): OutgoingMessage {
  if (packages.length === 0) {
    return { type: 'text', body: 'Por ahora no hay paquetes a la venta. Intenta más tarde.' };
  }
  return {
    type: 'list',
    body: 'Elige el paquete de tokens que quieres comprar. Te confirmamos el pago y se acreditan.',
    buttonText: 'Ver paquetes',
    sections: [
      {
        title: 'Paquetes de tokens',
        rows: packages.map((p) => ({
          id: `${PACKAGE_ROW_PREFIX}${p.code}`.slice(0, 200),
          title: p.name.slice(0, 24),
          description: packageSummary(p).slice(0, 72),
        })),
      },
    ],
  };
}

export function purchaseRequestedText(p: PackageInfo): string {
  return (
    `Listo, pedimos tu paquete ${p.name} (${formatInt(p.tokens)} tokens por ${formatMoney(p.priceCents)}). ` +
    'En cuanto confirmemos tu pago se acreditan.'
  );
}

export const UNKNOWN_PACKAGE_TEXT =
  'No encontré ese paquete. Escribe *paquetes* para ver los que hay y elige uno de la lista.';
