export type InboundStatus =
  'received' | 'queued' | 'processing' | 'processed' | 'ignored' | 'failed';
export type IgnoreReason =
  | 'stale'
  /** Over its chat's rate limit: stored, not answered (the first one got an "espera"). */
  | 'rate_limited'
  /** The business number it arrived at belongs to no shop. */
  | 'unknown_channel'
  /** The sender is not a number (or user id) of the shop that number belongs to. */
  | 'unknown_sender'
  | 'tenant_suspended'
  | 'unsupported'
  /** Stored for the record, not a question: reactions, removed reactions, edits, notices. */
  | 'no_reply_needed'
  /** The owner deleted it before it was answered. */
  | 'revoked'
  /** Answered in its edited form, by the message it was edited into (or the reverse). */
  | 'superseded_by_edit'
  /** Could not be stored as sent (e.g. nested too deep): kept for the record, not answered. */
  | 'malformed';

/** A message as Meta delivered it, ready to be stored (what the webhook hands to the inbox). */
export interface InboundMessageInput {
  wamid: string;
  phoneNumberId: string;
  /** The sender's wa_id (phone, digits); null when Meta withholds it (username users). */
  from: string | null;
  /** The sender's business-scoped user id (BSUID), when Meta sent one. */
  fromUserId: string | null;
  contactName: string | null;
  sentAt: Date;
  type: string;
  /** The words the owner sent: body, caption, the tapped title, or an edit's new text. */
  text: string | null;
  /** The earlier message a reaction, edit or delete refers to. */
  refWamid: string | null;
  payload: Record<string, unknown>;
}

/** A delivery receipt for a message we sent. */
export interface DeliveryStatusInput {
  wamid: string;
  phoneNumberId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed' | 'played' | 'deleted';
  at: Date;
  recipientId: string | null;
  /**
   * The outbound row, from biz_opaque_callback_data: a reply whose send crashed before its
   * wamid was stored is still found (and learns its wamid).
   */
  outboundId?: string | null;
  errorCode: number | null;
  errorTitle: string | null;
}

/** A stored inbound message (inbound_messages). */
export interface InboundMessage {
  id: string;
  wamid: string;
  phoneNumberId: string;
  fromWaId: string | null;
  fromUserId: string | null;
  contactName: string | null;
  tenantId: string | null;
  type: string;
  text: string | null;
  refWamid: string | null;
  payload: Record<string, unknown>;
  sentAt: Date;
  receivedAt: Date;
  status: InboundStatus;
  ignoreReason: IgnoreReason | null;
  attempts: number;
  lastError: string | null;
  processedAt: Date | null;
  updatedAt: Date;
}

/** A message that failed for good, as the engineer on call sees it. */
export interface FailedInboundMessage {
  wamid: string;
  tenantId: string | null;
  from: string | null;
  type: string;
  text: string | null;
  attempts: number;
  lastError: string | null;
  sentAt: Date;
  failedAt: Date;
}

export type OutboundStatus =
  'pending' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'unknown';
/** A reply longer than WhatsApp allows goes out in parts: 'reply', 'reply-2', 'reply-3'… */
export type OutboundPurpose = 'reply' | `reply-${number}` | 'notice';

/** A message we send (outbound_messages): at most one per inbound message and purpose. */
export interface OutboundMessage {
  id: string;
  inboundWamid: string | null;
  purpose: string;
  tenantId: string | null;
  phoneNumberId: string;
  /** The recipient's phone (wa_id) or, when Meta withheld it, their BSUID (toUserId). */
  toWaId: string | null;
  toUserId: string | null;
  type: string;
  text: string | null;
  /** The Graph API request body, built once when the answer was prepared. */
  request: Record<string, unknown>;
  wamid: string | null;
  status: OutboundStatus;
  errorCode: number | null;
  errorTitle: string | null;
  fallbackLevel: string | null;
  /** The A/B experiment and arm the answer was routed by (reply rows only). */
  experiment: string | null;
  experimentArm: 'a' | 'b' | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  failedAt: Date | null;
}

/** What to store for a reply before it is sent. */
export interface PreparedOutbound {
  inboundWamid: string;
  purpose: OutboundPurpose;
  tenantId: string | null;
  phoneNumberId: string;
  toWaId: string | null;
  toUserId: string | null;
  type: string;
  text: string | null;
  request: Record<string, unknown>;
  fallbackLevel: string | null;
  experiment?: { name: string; arm: 'a' | 'b' } | null;
}
