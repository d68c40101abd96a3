import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Recent turns per chat, so a follow-up like "¿y ayer?" keeps its context. */
export class Conversations1763900000400 implements MigrationInterface {
  name = 'Conversations1763900000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE conversation_turns (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        wa_id text NOT NULL,
        role text NOT NULL CHECK (role IN ('user', 'assistant')),
        content text NOT NULL,
        intent text,
        inbound_wamid text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (inbound_wamid, role)
      )`);
    await q.query(
      `CREATE INDEX conversation_turns_chat_idx ON conversation_turns (tenant_id, wa_id, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE conversation_turns`);
  }
}
