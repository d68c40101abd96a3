import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Shops, the WhatsApp numbers that may talk for them, and the business numbers they use. */
export class Tenants1763900000000 implements MigrationInterface {
  name = 'Tenants1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        timezone text NOT NULL DEFAULT 'America/Mexico_City',
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE tenant_users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        wa_id text NOT NULL UNIQUE CHECK (wa_id ~ '^[0-9]{6,20}$'),
        role text NOT NULL DEFAULT 'owner' CHECK (role IN ('owner', 'employee')),
        name text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX tenant_users_tenant_idx ON tenant_users (tenant_id)`);
    await q.query(`
      CREATE TABLE whatsapp_channels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        phone_number_id text NOT NULL UNIQUE,
        display_phone_number text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX whatsapp_channels_tenant_idx ON whatsapp_channels (tenant_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE whatsapp_channels`);
    await q.query(`DROP TABLE tenant_users`);
    await q.query(`DROP TABLE tenants`);
  }
}
