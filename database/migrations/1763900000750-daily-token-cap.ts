import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * tenant_settings.daily_token_cap (tenants module): tokens a shop may spend per shop-local day,
 * set by an admin; NULL = DAILY_TOKEN_CAP_DEFAULT, 0 = unlimited. The day's count lives in Redis.
 */
export class DailyTokenCap1763900000750 implements MigrationInterface {
  name = 'DailyTokenCap1763900000750';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE tenant_settings ADD COLUMN daily_token_cap integer CHECK (daily_token_cap >= 0)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenant_settings DROP COLUMN daily_token_cap`);
  }
}
