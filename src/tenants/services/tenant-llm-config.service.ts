import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { LlmProfileName } from '../../config/env.schema';
import { TenantLlmConfigRepository } from '../repositories/tenant-llm-config.repository';
import type { TenantLlmConfigRecord } from '../tenant.types';
import { ApiKeyCipher, ApiKeyDecryptError } from './api-key-cipher';

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

export interface KeyRotationResult {
  /** Id of the key every stored API key is now sealed under. */
  keyId: string;
  /** Rows that held an API key. */
  total: number;
  /** Rows re-sealed by this run. */
  reEncrypted: number;
  /** Rows that were already under the current key (left untouched). */
  alreadyCurrent: number;
}

/** A shop's own LLM settings, its provider key sealed at rest. */
@Injectable()
export class TenantLlmConfigService {
  private readonly log = new Logger(TenantLlmConfigService.name);

  constructor(
    private readonly repo: TenantLlmConfigRepository,
    private readonly cipher: ApiKeyCipher,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** For the worker: the shop's settings with its API key decrypted. */
  async getLlmConfig(tenantId: string): Promise<TenantLlmSettings> {
    const row = await this.repo.find(tenantId);
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
    const row = await this.repo.find(tenantId);
    return row ? toView(row) : emptyView(tenantId);
  }

  /** Creates or changes the shop's configuration; the key is sealed before it is stored. */
  async update(tenantId: string, patch: LlmConfigPatch): Promise<LlmConfigView> {
    const saved = await this.db.transaction(async (tx) => {
      const row = await this.repo.lockOrCreate(tx, tenantId);
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
      return this.repo.save(tx, row);
    });
    const keyChange =
      patch.apiKey === undefined ? 'unchanged' : patch.apiKey === null ? 'removed' : 'set';
    this.log.log(`LLM config of tenant ${tenantId} updated (API key ${keyChange})`);
    return toView(saved);
  }

  /**
   * Re-seals every stored tenant API key under the current ENCRYPTION_KEY, opening old rows
   * with ENCRYPTION_KEY_PREVIOUS. One transaction: if any row cannot be opened, nothing
   * changes and the error names the tenants and key ids involved (never a key).
   */
  async rotateKeys(): Promise<KeyRotationResult> {
    return this.db.transaction(async (tx) => {
      const rows = await this.repo.lockAllKeys(tx);
      const failures: string[] = [];
      let reEncrypted = 0;
      for (const row of rows) {
        if (row.keyId === this.cipher.currentKeyId) continue;
        let plaintext: string;
        try {
          plaintext = this.cipher.open(row, row.tenantId);
        } catch (err) {
          if (!(err instanceof ApiKeyDecryptError)) throw err;
          failures.push(`${row.tenantId} (key ${row.keyId})`);
          continue;
        }
        const sealed = this.cipher.seal(plaintext, row.tenantId);
        await this.repo.replaceSealedKey(tx, { tenantId: row.tenantId, ...sealed });
        reEncrypted++;
      }
      if (failures.length > 0) {
        throw new ApiKeyDecryptError(
          `Cannot open the API keys of ${failures.length} tenant(s): ${failures.join(', ')}. ` +
            'Set ENCRYPTION_KEY_PREVIOUS to the key they were sealed with; nothing was changed.',
        );
      }
      return {
        keyId: this.cipher.currentKeyId,
        total: rows.length,
        reEncrypted,
        alreadyCurrent: rows.length - reEncrypted,
      };
    });
  }

  /**
   * A key that cannot be opened (ENCRYPTION_KEY changed without ENCRYPTION_KEY_PREVIOUS, or a
   * damaged row) must not stop the shop's answers: the platform key answers instead, and the
   * error is logged for the operator.
   */
  private openKey(row: TenantLlmConfigRecord): string | undefined {
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

function toView(row: TenantLlmConfigRecord): LlmConfigView {
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
