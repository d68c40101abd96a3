import { randomBytes } from 'node:crypto';
import { signBody } from '../../src/whatsapp/signature';

export const PHONE_NUMBER_ID = '106540352242922';

export function newWamid(): string {
  return `wamid.TEST${randomBytes(16).toString('base64url')}`;
}

/**
 * A random Mexico City mobile as Meta sends it: digits, with the old "1" after the country
 * code (521 55 XXXX XXXX), the form the shop's E.164 registration must still recognize.
 */
export function newWaId(): string {
  return `52155${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

/** A random business phone number id (Meta's numeric phone_number_id). */
export function newPhoneNumberId(): string {
  return `10${String(Math.floor(Math.random() * 1e13)).padStart(13, '0')}`;
}

export interface TextMessageSpec {
  from: string;
  text: string;
  wamid?: string;
  timestamp?: number; // unix seconds
  name?: string;
}

export function textMessage(spec: TextMessageSpec): Record<string, unknown> {
  return {
    from: spec.from,
    id: spec.wamid ?? newWamid(),
    timestamp: String(spec.timestamp ?? Math.floor(Date.now() / 1000)),
    type: 'text',
    text: { body: spec.text },
  };
}

/** Meta's envelope around one change carrying messages and/or statuses. */
export function envelope(
  value: {
    messages?: Record<string, unknown>[];
    statuses?: Record<string, unknown>[];
    contacts?: unknown[];
  },
  phoneNumberId = PHONE_NUMBER_ID,
): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              ...(value.messages
                ? {
                    contacts:
                      value.contacts ??
                      value.messages.map((m) => ({ profile: { name: 'Lupita' }, wa_id: m.from })),
                    messages: value.messages,
                  }
                : {}),
              ...(value.statuses ? { statuses: value.statuses } : {}),
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

export function statusUpdate(
  wamid: string,
  status: 'sent' | 'delivered' | 'read' | 'failed',
  recipient: string,
  error?: { code: number; title: string },
): Record<string, unknown> {
  return {
    id: wamid,
    status,
    timestamp: String(Math.floor(Date.now() / 1000)),
    recipient_id: recipient,
    ...(error ? { errors: [{ code: error.code, title: error.title }] } : {}),
  };
}

/** POSTs a body to the webhook, signed over its exact bytes unless told otherwise. */
export async function postWebhook(
  baseUrl: string,
  body: string | Buffer | Record<string, unknown>,
  options: { secret?: string; signature?: string | null; contentType?: string } = {},
): Promise<{ status: number; text: string }> {
  const raw = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const headers: Record<string, string> = {
    'Content-Type': options.contentType ?? 'application/json',
  };
  const signature =
    options.signature === undefined
      ? signBody(raw, options.secret ?? process.env.WHATSAPP_APP_SECRET ?? 'test-app-secret')
      : options.signature;
  if (signature !== null) headers['X-Hub-Signature-256'] = signature;
  const res = await fetch(`${baseUrl}/webhooks/whatsapp`, { method: 'POST', headers, body: raw });
  return { status: res.status, text: await res.text() };
}
