import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-shop switches that are not LLM credentials. Owner: tenants (TenantSettingsRepository).
 * A shop without a row has the defaults: the response cache on, the daily close off at 21:00
 * shop-local time, no per-intent profile override.
 */
export class TenantSettings1763900000710 implements MigrationInterface {
  name = 'TenantSettings1763900000710';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenant_settings (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
        response_cache_enabled boolean NOT NULL DEFAULT true,
        daily_close_enabled boolean NOT NULL DEFAULT false,
        -- Shop-local wall-clock time of the daily close.
        daily_close_time time NOT NULL DEFAULT '21:00',
        -- {"ventas":"low-latency", ...}: overrides LLM_INTENT_PROFILES for this shop.
        intent_profiles jsonb NOT NULL DEFAULT '{}'::jsonb
          CHECK (jsonb_typeof(intent_profiles) = 'object'),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX tenant_settings_daily_close_idx ON tenant_settings (tenant_id) WHERE daily_close_enabled`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tenant_settings`);
  }
}
