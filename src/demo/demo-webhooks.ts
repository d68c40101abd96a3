import { randomBytes } from 'node:crypto';
import type { DemoPerson, DemoShop } from './demo-backend';

/**
 * Meta's webhook payloads as a phone's activity produces them: one change per delivery, the
 * sender's contact card with its messages, statuses on their own. The simulator sends these
 * through the real /webhooks/whatsapp, signed like Meta signs them.
 */
export function newDemoWamid(): string {
  return `wamid.SIM${randomBytes(12).toString('base64url')}`;
}

/** The message part a page may send: the type and that type's field (`text`, `interactive`…). */
export type DemoMessageContent = Record<string, unknown> & { type: string };

export function inboundEnvelope(
  shop: DemoShop,
  person: DemoPerson,
  content: DemoMessageContent,
  wamid: string,
  now = new Date(),
): Record<string, unknown> {
  const message = {
    ...content,
    from: person.waId,
    id: wamid,
    timestamp: String(Math.floor(now.getTime() / 1000)),
  };
  return wrap(shop, {
    contacts: [{ profile: { name: person.name }, wa_id: person.waId }],
    messages: [message],
  });
}

/** The phone received (delivered) or opened (read) a message the shop sent. */
export function statusEnvelope(
  shop: DemoShop,
  person: DemoPerson,
  messageWamid: string,
  status: 'delivered' | 'read',
  now = new Date(),
): Record<string, unknown> {
  return wrap(shop, {
    statuses: [
      {
        id: messageWamid,
        status,
        timestamp: String(Math.floor(now.getTime() / 1000)),
        recipient_id: person.waId,
      },
    ],
  });
}

function wrap(shop: DemoShop, value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'DEMO_WABA',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: shop.displayPhoneNumber.replace(/\D/g, ''),
                phone_number_id: shop.phoneNumberId,
              },
              ...value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}
