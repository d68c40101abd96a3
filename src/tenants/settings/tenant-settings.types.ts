import type { LlmProfileName } from '../../config/env.schema';

/** Per-shop switches (tenant_settings); a shop without a row has DEFAULT_TENANT_SETTINGS. */
export interface TenantSettings {
  tenantId: string;
  /** Same question over the same data answered from the response cache (0 tokens). */
  responseCacheEnabled: boolean;
  /** The daily close ("cierre del día") is sent at dailyCloseTime, shop-local. */
  dailyCloseEnabled: boolean;
  /** HH:MM, shop-local. */
  dailyCloseTime: string;
  /** Intent → profile, over LLM_INTENT_PROFILES (config only). */
  intentProfiles: Partial<Record<string, LlmProfileName>>;
  /** Tokens the shop may spend per local day; null = DAILY_TOKEN_CAP_DEFAULT, 0 = unlimited. */
  dailyTokenCap: number | null;
}

export type TenantSettingsPatch = Partial<Omit<TenantSettings, 'tenantId'>>;

export const DEFAULT_TENANT_SETTINGS: Omit<TenantSettings, 'tenantId'> = {
  responseCacheEnabled: true,
  dailyCloseEnabled: false,
  dailyCloseTime: '21:00',
  intentProfiles: {},
  dailyTokenCap: null,
};
