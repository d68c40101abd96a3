import type { LlmProfileName } from '../config/env.schema';

export type TenantStatus = 'active' | 'suspended';
export type TenantRole = 'owner' | 'employee';

export interface Tenant {
  id: string;
  name: string;
  timezone: string;
  status: TenantStatus;
  createdAt: Date;
  updatedAt: Date;
}

/** A WhatsApp number (wa_id, digits only) allowed to talk to the bot on behalf of a shop. */
export interface TenantUser {
  id: string;
  tenantId: string;
  waId: string;
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

/** The shop a message is for, and who in it sent it. */
export interface ResolvedSender {
  tenant: Tenant;
  user: TenantUser;
}

export interface NewTenant {
  name: string;
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
