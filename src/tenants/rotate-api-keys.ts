import type { DataSource } from 'typeorm';
import { ApiKeyCipher, ApiKeyDecryptError } from './api-key-cipher';

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

/**
 * Re-seals every stored tenant API key under the current ENCRYPTION_KEY, opening old rows
 * with ENCRYPTION_KEY_PREVIOUS. One transaction: if any row cannot be opened, nothing
 * changes and the error names the tenants and key ids involved (never a key).
 */
export async function rotateApiKeys(
  db: DataSource,
  cipher: ApiKeyCipher,
): Promise<KeyRotationResult> {
  return db.transaction(async (tx) => {
    const rows: { tenant_id: string; api_key_ciphertext: Buffer; api_key_key_id: string }[] =
      await tx.query(
        `SELECT tenant_id, api_key_ciphertext, api_key_key_id FROM tenant_llm_config
          WHERE api_key_ciphertext IS NOT NULL ORDER BY tenant_id FOR UPDATE`,
      );
    const failures: string[] = [];
    let reEncrypted = 0;
    for (const row of rows) {
      if (row.api_key_key_id === cipher.currentKeyId) continue;
      let plaintext: string;
      try {
        plaintext = cipher.open(
          { ciphertext: row.api_key_ciphertext, keyId: row.api_key_key_id },
          row.tenant_id,
        );
      } catch (err) {
        if (!(err instanceof ApiKeyDecryptError)) throw err;
        failures.push(`${row.tenant_id} (key ${row.api_key_key_id})`);
        continue;
      }
      const sealed = cipher.seal(plaintext, row.tenant_id);
      // updated_at is left alone: the configuration did not change, only its wrapping.
      await tx.query(
        `UPDATE tenant_llm_config SET api_key_ciphertext = $2, api_key_key_id = $3 WHERE tenant_id = $1`,
        [row.tenant_id, sealed.ciphertext, sealed.keyId],
      );
      reEncrypted++;
    }
    if (failures.length > 0) {
      throw new ApiKeyDecryptError(
        `Cannot open the API keys of ${failures.length} tenant(s): ${failures.join(', ')}. ` +
          'Set ENCRYPTION_KEY_PREVIOUS to the key they were sealed with; nothing was changed.',
      );
    }
    return {
      keyId: cipher.currentKeyId,
      total: rows.length,
      reEncrypted,
      alreadyCurrent: rows.length - reEncrypted,
    };
  });
}
