/**
 * `npm run keys:rotate`: re-seals every tenant API key under ENCRYPTION_KEY. Rotation steps:
 * set ENCRYPTION_KEY_PREVIOUS to the old key and ENCRYPTION_KEY to the new one, deploy, run
 * this, then drop ENCRYPTION_KEY_PREVIOUS. Reads only the variables it needs.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadEnvFile } from '../src/config/load-env-file';
import { envSchema } from '../src/config/env.schema';
import { dataSourceOptions } from '../src/database/data-source-options';
import { TenantLlmConfigRepository } from '../src/tenants/repositories/tenant-llm-config.repository';
import { ApiKeyCipher } from '../src/tenants/services/api-key-cipher';
import { TenantLlmConfigService } from '../src/tenants/services/tenant-llm-config.service';

async function main(): Promise<void> {
  loadEnvFile();
  const parsed = envSchema
    .pick({ DATABASE_URL: true, ENCRYPTION_KEY: true, ENCRYPTION_KEY_PREVIOUS: true })
    .safeParse(process.env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration: ${names.join('; ')}`);
  }
  const cipher = ApiKeyCipher.fromConfig(parsed.data);
  const db = new DataSource(dataSourceOptions(parsed.data.DATABASE_URL));
  await db.initialize();
  try {
    const llmConfig = new TenantLlmConfigService(new TenantLlmConfigRepository(db), cipher, db);
    const result = await llmConfig.rotateKeys();
    console.log(
      `Re-encrypted ${result.reEncrypted} API key(s) under key ${result.keyId}` +
        ` (${result.alreadyCurrent} already current, ${result.total} in total)`,
    );
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
