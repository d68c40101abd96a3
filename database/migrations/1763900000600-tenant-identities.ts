import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who may talk for a shop, by identities that survive the formats Meta uses. Owner: tenants.
 *
 * - tenant_users.wa_id holds E.164 ("+525512345678"). Rows stored as Meta's digits are
 *   converted; a Mexican "521" + 10 digits loses the old mobile "1" (the same number Meta
 *   also sends as "52" + 10 digits). Two rows that turn out to be one number stop the
 *   migration with their ids: which shop keeps it is an operator's call, never a guess.
 * - tenant_users.user_id is the owner's business-scoped user id (BSUID), learned from the
 *   first message that carries both, so a later message without the phone still matches.
 * - tenant_user_changes audits every change of a registered identity (a number change
 *   reported by WhatsApp, a new BSUID): who, from what, to what, because of which message.
 */
export class TenantIdentities1763900000600 implements MigrationInterface {
  name = 'TenantIdentities1763900000600';

  async up(q: QueryRunner): Promise<void> {
    const canonical = `'+' || CASE WHEN wa_id ~ '^521[0-9]{10}$' THEN '52' || substr(wa_id, 4) ELSE wa_id END`;
    const clashes: { ids: string[] }[] = await q.query(`
      SELECT array_agg(id::text ORDER BY id) AS ids FROM tenant_users
       WHERE wa_id !~ '^\\+' GROUP BY ${canonical} HAVING count(*) > 1`);
    if (clashes.length > 0) {
      throw new Error(
        `tenant_users rows that are the same phone number in two formats: ${clashes
          .map((c) => c.ids.join(' = '))
          .join('; ')}. Delete the wrong ones, then migrate again.`,
      );
    }
    const unfit: { id: string }[] = await q.query(`
      SELECT id::text FROM tenant_users
       WHERE wa_id !~ '^\\+' AND (${canonical}) !~ '^\\+[1-9][0-9]{5,14}$'`);
    if (unfit.length > 0) {
      throw new Error(
        `tenant_users rows whose wa_id is no phone number (E.164 has 6–15 digits): ${unfit
          .map((r) => r.id)
          .join(', ')}. Fix or delete them, then migrate again.`,
      );
    }
    await q.query(`ALTER TABLE tenant_users DROP CONSTRAINT IF EXISTS tenant_users_wa_id_check`);
    await q.query(`UPDATE tenant_users SET wa_id = ${canonical} WHERE wa_id !~ '^\\+'`);
    await q.query(`
      ALTER TABLE tenant_users ADD CONSTRAINT tenant_users_wa_id_e164
        CHECK (wa_id ~ '^\\+[1-9][0-9]{5,14}$')`);
    await q.query(`
      ALTER TABLE tenant_users ADD COLUMN user_id text UNIQUE
        CHECK (user_id ~ '^[A-Z]{2}\\.[A-Za-z0-9.]{1,140}$')`);
    await q.query(`
      CREATE TABLE tenant_user_changes (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        tenant_user_id uuid NOT NULL REFERENCES tenant_users(id) ON DELETE CASCADE,
        field text NOT NULL CHECK (field IN ('wa_id', 'user_id')),
        old_value text,
        new_value text,
        source text NOT NULL CHECK (source IN ('whatsapp', 'admin')),
        inbound_wamid text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX tenant_user_changes_user_idx ON tenant_user_changes (tenant_user_id, id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tenant_user_changes`);
    await q.query(`ALTER TABLE tenant_users DROP COLUMN user_id`);
    await q.query(`ALTER TABLE tenant_users DROP CONSTRAINT tenant_users_wa_id_e164`);
    await q.query(`UPDATE tenant_users SET wa_id = substr(wa_id, 2)`);
    await q.query(`
      ALTER TABLE tenant_users ADD CONSTRAINT tenant_users_wa_id_check
        CHECK (wa_id ~ '^[0-9]{6,20}$')`);
  }
}
