import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** An API key at rest: IV ‖ auth tag ‖ ciphertext, and the id of the key that sealed it. */
export interface SealedApiKey {
  ciphertext: Buffer;
  keyId: string;
}

/** The stored value cannot be opened: unknown key id (not configured) or tampered bytes. */
export class ApiKeyDecryptError extends Error {
  override name = 'ApiKeyDecryptError';
}

/** First 8 hex characters of sha256(key): names a key without revealing anything about it. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * AES-256-GCM for per-tenant provider keys. Seals under the current ENCRYPTION_KEY; opens
 * under the current or the previous one (ENCRYPTION_KEY_PREVIOUS), picked by the stored key
 * id, so a key can be rotated without downtime. The tenant id is bound as additional
 * authenticated data: a ciphertext copied onto another tenant's row does not decrypt.
 */
export class ApiKeyCipher {
  readonly currentKeyId: string;
  private readonly current: Buffer;
  private readonly keys = new Map<string, Buffer>();

  constructor(currentKeyBase64: string, previousKeyBase64?: string) {
    this.current = decodeKey(currentKeyBase64, 'ENCRYPTION_KEY');
    this.currentKeyId = keyIdOf(this.current);
    this.keys.set(this.currentKeyId, this.current);
    if (previousKeyBase64) {
      const previous = decodeKey(previousKeyBase64, 'ENCRYPTION_KEY_PREVIOUS');
      this.keys.set(keyIdOf(previous), previous);
    }
  }

  static fromConfig(config: { ENCRYPTION_KEY: string; ENCRYPTION_KEY_PREVIOUS?: string }) {
    return new ApiKeyCipher(config.ENCRYPTION_KEY, config.ENCRYPTION_KEY_PREVIOUS);
  }

  canOpen(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  seal(plaintext: string, tenantId: string): SealedApiKey {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(tenantId));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]),
      keyId: this.currentKeyId,
    };
  }

  open(sealed: SealedApiKey, tenantId: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) {
      throw new ApiKeyDecryptError(
        `API key of tenant ${tenantId} is sealed under key ${sealed.keyId}, which is neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS`,
      );
    }
    const { ciphertext } = sealed;
    if (ciphertext.length < IV_BYTES + TAG_BYTES) {
      throw new ApiKeyDecryptError(`API key of tenant ${tenantId} is truncated`);
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, ciphertext.subarray(0, IV_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(aad(tenantId));
      decipher.setAuthTag(ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const body = ciphertext.subarray(IV_BYTES + TAG_BYTES);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new ApiKeyDecryptError(`API key of tenant ${tenantId} failed authentication`);
    }
  }
}

function aad(tenantId: string): Buffer {
  return Buffer.from(`tenant_llm_config:${tenantId}`, 'utf8');
}

function decodeKey(base64: string, name: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes encoded as base64`);
  return key;
}
