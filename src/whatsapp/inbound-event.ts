/** What the webhook hands to the inbox: one event per message or status Meta reported. */
export interface InboundMessageEvent {
  kind: 'message';
  wamid: string;
  phoneNumberId: string;
  from: string;
  contactName: string | null;
  sentAt: Date;
  type: string;
  /** The words the owner sent: body, caption, or the title of the tapped button/list row. */
  text: string | null;
  payload: Record<string, unknown>;
}

export interface InboundStatusEvent {
  kind: 'status';
  wamid: string;
  phoneNumberId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed' | 'played' | 'deleted';
  at: Date;
  recipientId: string | null;
  errorCode: number | null;
  errorTitle: string | null;
}

export type InboundEvent = InboundMessageEvent | InboundStatusEvent;

export interface ParseOutcome {
  events: InboundEvent[];
  /** Parts of the payload we could not use (malformed items, fields we do not handle). */
  skipped: { reason: string; count: number }[];
  /** False when the JSON is not a WhatsApp Business Account payload at all. */
  recognized: boolean;
}
