import type { DeliveryStatusInput, InboundMessageInput } from '../inbox/inbox.types';

/** What the webhook hands to the inbox: one event per message or status Meta reported. */
export type InboundMessageEvent = { kind: 'message' } & InboundMessageInput;
export type InboundStatusEvent = { kind: 'status' } & DeliveryStatusInput;
export type InboundEvent = InboundMessageEvent | InboundStatusEvent;

export interface ParseOutcome {
  events: InboundEvent[];
  /** Parts of the payload we could not use (malformed items, fields we do not handle). */
  skipped: { reason: string; count: number }[];
  /** Names of the change fields we do not subscribe to (for the log line only, never a label). */
  ignoredFields: string[];
  /** False when the JSON is not a WhatsApp Business Account payload at all. */
  recognized: boolean;
}
