import type { LlmProfileName } from '../config/env.schema';

/** 'deleted': a tombstone kept for the ledger (DELETE /admin/tenants/:id). */
export type TenantStatus = 'active' | 'suspended' | 'deleted';
export type TenantRole = 'owner' | 'employee';

export interface Tenant {
  id: string;
  name: string;
  timezone: string;
  status: TenantStatus;
  /** A sale (or loss) may take stock below zero; default true (see the write-actions migration). */
  allowNegativeStock: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A WhatsApp user allowed to talk to the bot on behalf of a shop. */
export interface TenantUser {
  id: string;
  tenantId: string;
  /** Their phone number, E.164 ("+525512345678"). */
  waId: string;
  /** Their business-scoped user id (BSUID), once a message has told us. */
  userId: string | null;
  role: TenantRole;
  name: string | null;
  createdAt: Date;
}

/** A business phone number (Meta's phone_number_id) that a shop's bot answers from. */
export interface WhatsappChannel {
  id: string;
  tenantId: string;
  phoneNumberId: string;
  displayPhoneNumber: string | null;
  createdAt: Date;
}

/** The shop a message is for (by the business number it arrived at), and who in it sent it. */
export interface ResolvedSender {
  tenant: Tenant;
  user: TenantUser;
  channel: WhatsappChannel;
}

/** Who sent a message, as Meta identified them: a wa_id, a BSUID, or both. */
export interface SenderIdentity {
  /** The business number it arrived at (metadata.phone_number_id). */
  phoneNumberId: string;
  waId: string | null;
  userId: string | null;
}

export type SenderResolution =
  | ({ kind: 'ok' } & ResolvedSender)
  | { kind: 'unknown_channel' }
  | { kind: 'unknown_sender'; tenant: Tenant };

/** A registered identity that changed (WhatsApp told us, or an admin did it). */
export interface IdentityChange {
  tenantId: string;
  tenantUserId: string;
  field: 'wa_id' | 'user_id';
  oldValue: string | null;
  newValue: string | null;
  source: 'whatsapp' | 'admin';
  inboundWamid: string | null;
}

export interface NewTenant {
  name: string;
  /** E.164 (the admin API normalizes what was typed). */
  ownerWaId: string;
  phoneNumberId?: string;
  timezone?: string;
}

/** A shop with the numbers that talk for it and the business numbers it answers from. */
export interface TenantDetails {
  tenant: Tenant;
  users: TenantUser[];
  channels: WhatsappChannel[];
}

/** A stored tenant_llm_config row; the key only sealed (see ApiKeyCipher). */
export interface TenantLlmConfigRecord {
  tenantId: string;
  apiKeyCiphertext: Buffer | null;
  apiKeyKeyId: string | null;
  apiKeyLast4: string | null;
  modelDefault: string | null;
  modelFallback: string[];
  profile: LlmProfileName | null;
  maxTokens: number | null;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What an admin may change on a shop; absent fields stay as they are. */
export type TenantPatch = Partial<Pick<Tenant, 'name' | 'timezone' | 'allowNegativeStock'>>;
