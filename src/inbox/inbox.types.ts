export type InboundStatus =
  'received' | 'queued' | 'processing' | 'processed' | 'ignored' | 'failed';
export type IgnoreReason = 'stale' | 'unknown_sender' | 'tenant_suspended' | 'unsupported';

/** A message as Meta delivered it, ready to be stored (what the webhook hands to the inbox). */
export interface InboundMessageInput {
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

/** A delivery receipt for a message we sent. */
export interface DeliveryStatusInput {
  wamid: string;
  phoneNumberId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed' | 'played' | 'deleted';
  at: Date;
  recipientId: string | null;
  errorCode: number | null;
  errorTitle: string | null;
}

/** A stored inbound message (inbound_messages). */
export interface InboundMessage {
  id: string;
  wamid: string;
  phoneNumberId: string;
  fromWaId: string;
  contactName: string | null;
  tenantId: string | null;
  type: string;
  text: string | null;
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
  from: string;
  type: string;
  text: string | null;
  attempts: number;
  lastError: string | null;
  sentAt: Date;
  failedAt: Date;
}

export type OutboundStatus =
  'pending' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'unknown';
export type OutboundPurpose = 'reply' | 'notice';

/** A message we send (outbound_messages): at most one per inbound message and purpose. */
export interface OutboundMessage {
  id: string;
  inboundWamid: string | null;
  purpose: string;
  tenantId: string | null;
  phoneNumberId: string;
  toWaId: string;
  type: string;
  text: string | null;
  /** The Graph API request body, built once when the answer was prepared. */
  request: Record<string, unknown>;
  wamid: string | null;
  status: OutboundStatus;
  errorCode: number | null;
  errorTitle: string | null;
  fallbackLevel: string | null;
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
  toWaId: string;
  type: string;
  text: string | null;
  request: Record<string, unknown>;
  fallbackLevel: string | null;
}
