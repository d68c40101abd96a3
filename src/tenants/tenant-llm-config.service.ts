import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { LlmProfileName } from '../config/env.schema';
import { ApiKeyCipher, ApiKeyDecryptError } from './api-key-cipher';
import { TenantLlmConfig } from './tenant-llm-config.entity';

/** What the worker needs to call the LLM for a shop; absent fields mean "platform default". */
export interface TenantLlmSettings {
  /** The shop's own OpenRouter key, decrypted; absent → the platform OPENROUTER_API_KEY. */
  apiKey?: string;
  modelDefault?: string;
  modelFallback?: string[];
  profile?: LlmProfileName;
  maxTokens?: number;
  /** False when the shop has no configuration or it was switched off: use the defaults. */
  isActive: boolean;
}

/** The configuration as an admin sees it: the key only as "is there one" and its last 4. */
export interface LlmConfigView {
  tenantId: string;
  hasApiKey: boolean;
  apiKeyLast4: string | null;
  modelDefault: string | null;
  modelFallback: string[];
  profile: LlmProfileName | null;
  maxTokens: number | null;
  isActive: boolean;
  updatedAt: Date | null;
}

/** A partial update: an absent field is left as it is, null clears it. */
export interface LlmConfigPatch {
  apiKey?: string | null;
  modelDefault?: string | null;
  modelFallback?: string[];
  profile?: LlmProfileName | null;
  maxTokens?: number | null;
  isActive?: boolean;
}

@Injectable()
export class TenantLlmConfigService {
  private readonly log = new Logger(TenantLlmConfigService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cipher: ApiKeyCipher,
  ) {}

  /** For the worker: the shop's settings with its API key decrypted. */
  async getLlmConfig(tenantId: string): Promise<TenantLlmSettings> {
    const row = await this.db.getRepository(TenantLlmConfig).findOne({ where: { tenantId } });
    if (!row) return { isActive: false };
    const settings: TenantLlmSettings = { isActive: row.isActive };
    if (row.modelDefault) settings.modelDefault = row.modelDefault;
    if (row.modelFallback.length > 0) settings.modelFallback = [...row.modelFallback];
    if (row.profile) settings.profile = row.profile;
    if (row.maxTokens !== null) settings.maxTokens = row.maxTokens;
    const apiKey = this.openKey(row);
    if (apiKey !== undefined) settings.apiKey = apiKey;
    return settings;
  }

  async getView(tenantId: string): Promise<LlmConfigView> {
    const row = await this.db.getRepository(TenantLlmConfig).findOne({ where: { tenantId } });
    return row ? toView(row) : emptyView(tenantId);
  }

  /** Creates or changes the shop's configuration; the key is sealed before it is stored. */
  async update(tenantId: string, patch: LlmConfigPatch): Promise<LlmConfigView> {
    const saved = await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO tenant_llm_config (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING`,
        [tenantId],
      );
      const repo = tx.getRepository(TenantLlmConfig);
      const row = await repo.findOneOrFail({
        where: { tenantId },
        lock: { mode: 'pessimistic_write' },
      });
      if (patch.apiKey !== undefined) {
        const sealed = patch.apiKey === null ? null : this.cipher.seal(patch.apiKey, tenantId);
        row.apiKeyCiphertext = sealed?.ciphertext ?? null;
        row.apiKeyKeyId = sealed?.keyId ?? null;
        row.apiKeyLast4 = patch.apiKey === null ? null : patch.apiKey.slice(-4);
      }
      if (patch.modelDefault !== undefined) row.modelDefault = patch.modelDefault;
      if (patch.modelFallback !== undefined) row.modelFallback = patch.modelFallback;
      if (patch.profile !== undefined) row.profile = patch.profile;
      if (patch.maxTokens !== undefined) row.maxTokens = patch.maxTokens;
      if (patch.isActive !== undefined) row.isActive = patch.isActive;
      return repo.save(row);
    });
    const keyChange =
      patch.apiKey === undefined ? 'unchanged' : patch.apiKey === null ? 'removed' : 'set';
    this.log.log(`LLM config of tenant ${tenantId} updated (API key ${keyChange})`);
    return toView(saved);
  }

  /**
   * A key that cannot be opened (ENCRYPTION_KEY changed without ENCRYPTION_KEY_PREVIOUS, or a
   * damaged row) must not stop the shop's answers: the platform key answers instead, and the
   * error is logged for the operator.
   */
  private openKey(row: TenantLlmConfig): string | undefined {
    if (!row.apiKeyCiphertext || !row.apiKeyKeyId) return undefined;
    try {
      return this.cipher.open(
        { ciphertext: row.apiKeyCiphertext, keyId: row.apiKeyKeyId },
        row.tenantId,
      );
    } catch (err) {
      if (!(err instanceof ApiKeyDecryptError)) throw err;
      this.log.error(`${err.message}; using the platform key instead`);
      return undefined;
    }
  }
}

function toView(row: TenantLlmConfig): LlmConfigView {
  return {
    tenantId: row.tenantId,
    hasApiKey: row.apiKeyCiphertext !== null,
    apiKeyLast4: row.apiKeyLast4,
    modelDefault: row.modelDefault,
    modelFallback: [...row.modelFallback],
    profile: row.profile,
    maxTokens: row.maxTokens,
    isActive: row.isActive,
    updatedAt: row.updatedAt,
  };
}

function emptyView(tenantId: string): LlmConfigView {
  return {
    tenantId,
    hasApiKey: false,
    apiKeyLast4: null,
    modelDefault: null,
    modelFallback: [],
    profile: null,
    maxTokens: null,
    isActive: false,
    updatedAt: null,
  };
}
