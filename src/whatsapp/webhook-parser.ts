import { JsonTooDeepError, MAX_JSON_DEPTH, pgSafeJson, pgSafeString } from '../common/pg-safe-json';
import type { InboundEvent, InboundMessageEvent, ParseOutcome } from './inbound-event';
import {
  changeValueSchema,
  envelopeSchema,
  messageSchema,
  statusSchema,
  type WaMessage,
} from './webhook.schemas';

/** Turns a verified webhook body into inbound events. Never throws on any JSON value. */
export function parseWebhook(body: unknown): ParseOutcome {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return { events: [], skipped: [], ignoredFields: [], recognized: false };

  const events: InboundEvent[] = [];
  const skipped = new Map<string, number>();
  const skip = (reason: string, n = 1) => skipped.set(reason, (skipped.get(reason) ?? 0) + n);
  const ignoredFields = new Set<string>();

  for (const entry of envelope.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') {
        // One reason for every field we do not subscribe to: the field name is payload text
        // and this reason becomes a metric label (see metric-labels.ts).
        skip('unsubscribed_field');
        if (ignoredFields.size < 5) ignoredFields.add(change.field.slice(0, 40));
        continue;
      }
      const value = changeValueSchema.safeParse(change.value);
      if (!value.success) {
        skip('malformed_value');
        continue;
      }
      const { metadata, contacts = [], messages = [], statuses = [] } = value.data;
      // Keyed by phone and by BSUID: a user who hides the number comes with user_id only.
      const names = new Map<string, string>();
      for (const c of contacts) {
        const name = c.profile?.name ?? c.profile?.username;
        if (!name) continue;
        if (c.wa_id) names.set(c.wa_id, name);
        if (c.user_id) names.set(c.user_id, name);
      }

      for (const raw of messages) {
        const msg = messageSchema.safeParse(raw);
        if (!msg.success) {
          skip('malformed_message');
          continue;
        }
        const event = toMessageEvent(msg.data, metadata.phone_number_id, names);
        if (event.type === MALFORMED_TYPE) skip('too_deep');
        events.push(event);
      }
      for (const raw of statuses) {
        const st = statusSchema.safeParse(raw);
        if (!st.success) {
          skip('malformed_status');
          continue;
        }
        const err = st.data.errors?.[0];
        events.push({
          kind: 'status',
          // Used as a query parameter: a NUL here must not turn the batch into a 503.
          wamid: pgSafeString(st.data.id),
          phoneNumberId: pgSafeString(metadata.phone_number_id),
          status: st.data.status,
          at: fromUnix(st.data.timestamp),
          recipientId: st.data.recipient_id ?? st.data.recipient_user_id ?? null,
          outboundId: outboundIdOf(st.data.biz_opaque_callback_data),
          errorCode: err?.code ?? null,
          errorTitle:
            err?.title || err?.message
              ? pgSafeString(err.title ?? err.message ?? '').slice(0, 500)
              : null,
        });
      }
    }
  }
  return {
    events,
    skipped: [...skipped].map(([reason, count]) => ({ reason, count })),
    ignoredFields: [...ignoredFields],
    recognized: true,
  };
}

function toMessageEvent(
  raw: WaMessage,
  phoneNumberId: string,
  names: Map<string, string>,
): InboundMessageEvent {
  let msg: WaMessage;
  try {
    msg = pgSafeJson(raw);
  } catch (err) {
    if (err instanceof JsonTooDeepError) return malformedEvent(raw, phoneNumberId);
    throw err;
  }
  const name = names.get(msg.from ?? '') ?? names.get(msg.from_user_id ?? '');
  return {
    kind: 'message',
    wamid: msg.id,
    phoneNumberId,
    from: msg.from ?? null,
    fromUserId: msg.from_user_id ?? null,
    contactName: name === undefined ? null : pgSafeString(name),
    sentAt: fromUnix(msg.timestamp),
    type: msg.type,
    text: textOf(msg),
    refWamid: referencedWamid(msg),
    payload: msg as Record<string, unknown>,
  };
}

/** Type stored for a message kept for the record only (it could not be stored as sent). */
export const MALFORMED_TYPE = 'malformed';

/**
 * A message nested too deep to store: kept under its wamid (so Meta's retries dedupe and the
 * record shows it came) as type 'malformed', without its content, and never answered.
 */
function malformedEvent(raw: WaMessage, phoneNumberId: string): InboundMessageEvent {
  return {
    kind: 'message',
    wamid: pgSafeString(raw.id),
    phoneNumberId,
    from: raw.from === undefined ? null : pgSafeString(raw.from),
    fromUserId: raw.from_user_id === undefined ? null : pgSafeString(raw.from_user_id),
    contactName: null,
    sentAt: fromUnix(raw.timestamp),
    type: MALFORMED_TYPE,
    text: null,
    refWamid: null,
    payload: { malformed: `nested deeper than ${MAX_JSON_DEPTH} levels` },
  };
}

/** The earlier message a reaction, an edit or a delete is about. */
function referencedWamid(msg: WaMessage): string | null {
  switch (msg.type) {
    case 'reaction':
      return msg.reaction?.message_id ?? null;
    case 'edit':
      return msg.edit?.original_message_id ?? null;
    case 'revoke':
      return msg.revoke?.original_message_id ?? null;
    default:
      return null;
  }
}

/** The words of a message, whatever its type carries them in. */
export function textOf(msg: WaMessage): string | null {
  switch (msg.type) {
    case 'text':
      return msg.text?.body ?? null;
    case 'image':
    case 'video':
    case 'document':
      return msg[msg.type]?.caption ?? null;
    case 'interactive':
      return msg.interactive?.button_reply?.title ?? msg.interactive?.list_reply?.title ?? null;
    case 'button':
      return msg.button?.text ?? null;
    case 'reaction':
      return msg.reaction?.emoji || null;
    case 'edit': {
      // The message as it now reads: its text, or the caption of edited media.
      const edited = msg.edit?.message;
      if (!edited) return null;
      if (edited.type === 'text') return edited.text?.body ?? null;
      const media = edited[edited.type as 'image' | 'video' | 'document'] as
        { caption?: string } | undefined;
      return media?.caption ?? null;
    }
    case 'system':
      return msg.system?.body ?? null;
    default:
      return null;
  }
}

function fromUnix(seconds: string): Date {
  return new Date(Number(seconds) * 1000);
}

/** The outbound row a status is about, from the callback data we set on the send. */
export function outboundIdOf(data: string | undefined): string | null {
  const m = data ? /^outbound:(\d{1,18})$/.exec(data) : null;
  return m ? m[1] : null;
}
