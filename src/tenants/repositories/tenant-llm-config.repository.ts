import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { returnedRows, type SqlExecutor } from '../../database/sql-executor';
import type { TenantLlmConfigRecord } from '../tenant.types';

/** A sealed API key as stored: the ciphertext and the id of the key that sealed it. */
export interface StoredApiKey {
  tenantId: string;
  ciphertext: Buffer;
  keyId: string;
}

/** The only code that names tenant_llm_config in SQL. */
@Injectable()
export class TenantLlmConfigRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A deleted shop's model settings and its own (encrypted) API key. */
  async deleteOf(tx: SqlExecutor, tenantId: string): Promise<void> {
    await tx.query(`DELETE FROM tenant_llm_config WHERE tenant_id = $1`, [tenantId]);
  }

  async find(tenantId: string): Promise<TenantLlmConfigRecord | null> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM tenant_llm_config WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The shop's row, created with defaults if missing, locked for the rest of the transaction. */
  async lockOrCreate(tx: SqlExecutor, tenantId: string): Promise<TenantLlmConfigRecord> {
    await tx.query(
      `INSERT INTO tenant_llm_config (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING`,
      [tenantId],
    );
    const rows: Record<string, unknown>[] = await tx.query(
      `SELECT * FROM tenant_llm_config WHERE tenant_id = $1 FOR UPDATE`,
      [tenantId],
    );
    return toRecord(rows[0]);
  }

  async save(tx: SqlExecutor, r: TenantLlmConfigRecord): Promise<TenantLlmConfigRecord> {
    const result: unknown = await tx.query(
      `UPDATE tenant_llm_config SET api_key_ciphertext = $2, api_key_key_id = $3, api_key_last4 = $4,
              model_default = $5, model_fallback = $6, profile = $7, max_tokens = $8, is_active = $9,
              updated_at = now()
        WHERE tenant_id = $1 RETURNING *`,
      [
        r.tenantId,
        r.apiKeyCiphertext,
        r.apiKeyKeyId,
        r.apiKeyLast4,
        r.modelDefault,
        r.modelFallback,
        r.profile,
        r.maxTokens,
        r.isActive,
      ],
    );
    return toRecord(returnedRows<Record<string, unknown>>(result)[0]);
  }

  /** Every stored key, locked, for a rotation that re-seals them in one transaction. */
  async lockAllKeys(tx: SqlExecutor): Promise<StoredApiKey[]> {
    const rows: { tenant_id: string; api_key_ciphertext: Buffer; api_key_key_id: string }[] =
      await tx.query(
        `SELECT tenant_id, api_key_ciphertext, api_key_key_id FROM tenant_llm_config
          WHERE api_key_ciphertext IS NOT NULL ORDER BY tenant_id FOR UPDATE`,
      );
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      ciphertext: r.api_key_ciphertext,
      keyId: r.api_key_key_id,
    }));
  }

  /** updated_at is left alone: the configuration did not change, only its wrapping. */
  async replaceSealedKey(tx: SqlExecutor, key: StoredApiKey): Promise<void> {
    await tx.query(
      `UPDATE tenant_llm_config SET api_key_ciphertext = $2, api_key_key_id = $3 WHERE tenant_id = $1`,
      [key.tenantId, key.ciphertext, key.keyId],
    );
  }
}

function toRecord(r: Record<string, unknown>): TenantLlmConfigRecord {
  return {
    tenantId: r.tenant_id as string,
    apiKeyCiphertext: r.api_key_ciphertext as Buffer | null,
    apiKeyKeyId: r.api_key_key_id as string | null,
    apiKeyLast4: r.api_key_last4 as string | null,
    modelDefault: r.model_default as string | null,
    modelFallback: (r.model_fallback as string[] | null) ?? [],
    profile: r.profile as TenantLlmConfigRecord['profile'],
    maxTokens: r.max_tokens as number | null,
    isActive: r.is_active as boolean,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}
