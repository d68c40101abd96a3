/** Outgoing message bodies, as the Graph API's /{phone_number_id}/messages expects them. */
export interface ReplyButton {
  id: string;
  title: string; // ≤ 20 characters
}

export interface ListRow {
  id: string;
  title: string; // ≤ 24 characters
  description?: string; // ≤ 72 characters
}

export interface ListSection {
  title?: string;
  rows: ListRow[];
}

export type OutgoingMessage =
  | { type: 'text'; body: string }
  | { type: 'buttons'; body: string; buttons: ReplyButton[]; footer?: string }
  | { type: 'list'; body: string; buttonText: string; sections: ListSection[]; footer?: string };

/**
 * A pre-approved message template (the only kind Meta delivers outside the 24-hour customer
 * window): its name, language code and the values of its body placeholders {{1}}, {{2}}…
 */
export interface TemplateMessage {
  name: string;
  language: string;
  bodyParameters: string[];
}

/** Who a message goes to: their phone (wa_id digits) or, without one, their BSUID. */
export interface Recipient {
  waId: string | null;
  userId: string | null;
}

export interface SentMessage {
  wamid: string;
}

export interface DownloadedMedia {
  bytes: Buffer;
  /** As the media lookup reported it, e.g. "audio/ogg; codecs=opus". */
  mimeType: string;
  /** sha256 of `bytes`, hex. */
  sha256: string;
  /** Meta gave a sha256 and the bytes match it (false: the lookup gave none to check). */
  verified: boolean;
}

export interface MediaDownloadOptions {
  /** Refuse media larger than this (default AUDIO_MAX_BYTES). */
  maxBytes?: number;
}
