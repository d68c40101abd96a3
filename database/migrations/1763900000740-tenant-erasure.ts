import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A deleted shop stays as a tombstone (status 'deleted', name blanked, deleted_at): the ledger,
 * purchases and usage it has accumulated reference it (accounting is kept; the ledger is
 * append-only), while its numbers, people, settings, messages and chat memory are deleted.
 */
export class TenantErasure1763900000740 implements MigrationInterface {
  name = 'TenantErasure1763900000740';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants DROP CONSTRAINT tenants_status_check`);
    await q.query(`
      ALTER TABLE tenants ADD CONSTRAINT tenants_status_check
        CHECK (status IN ('active', 'suspended', 'deleted'))`);
    await q.query(`ALTER TABLE tenants ADD COLUMN deleted_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants DROP COLUMN deleted_at`);
    await q.query(`ALTER TABLE tenants DROP CONSTRAINT tenants_status_check`);
    await q.query(`
      ALTER TABLE tenants ADD CONSTRAINT tenants_status_check
        CHECK (status IN ('active', 'suspended'))`);
  }
}
