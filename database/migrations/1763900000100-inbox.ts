import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inbound messages are stored before anything else happens to them (wamid UNIQUE makes
 * Meta's at-least-once deliveries idempotent). Outbound messages record every send, with
 * one reply per inbound message at most (unique on inbound_wamid + purpose).
 */
export class Inbox1763900000100 implements MigrationInterface {
  name = 'Inbox1763900000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inbound_messages (
        id bigserial PRIMARY KEY,
        wamid text NOT NULL UNIQUE,
        phone_number_id text NOT NULL,
        from_wa_id text NOT NULL,
        contact_name text,
        tenant_id uuid REFERENCES tenants(id) ON DELETE SET NULL,
        type text NOT NULL,
        text text,
        payload jsonb NOT NULL,
        sent_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'received'
          CHECK (status IN ('received', 'queued', 'processing', 'processed', 'ignored', 'failed')),
        ignore_reason text,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        processed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The relay only ever looks for rows that never reached the queue.
    await q.query(
      `CREATE INDEX inbound_messages_received_idx ON inbound_messages (received_at) WHERE status = 'received'`,
    );
    await q.query(
      `CREATE INDEX inbound_messages_chat_idx ON inbound_messages (phone_number_id, from_wa_id, sent_at)`,
    );
    await q.query(
      `CREATE INDEX inbound_messages_status_idx ON inbound_messages (status, updated_at)`,
    );

    await q.query(`
      CREATE TABLE outbound_messages (
        id bigserial PRIMARY KEY,
        inbound_wamid text REFERENCES inbound_messages(wamid) ON DELETE SET NULL,
        purpose text NOT NULL DEFAULT 'reply',
        tenant_id uuid REFERENCES tenants(id) ON DELETE SET NULL,
        phone_number_id text NOT NULL,
        to_wa_id text NOT NULL,
        type text NOT NULL,
        text text,
        request jsonb NOT NULL,
        wamid text UNIQUE,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'read', 'failed', 'unknown')),
        error_code integer,
        error_title text,
        fallback_level text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        delivered_at timestamptz,
        read_at timestamptz,
        failed_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX outbound_messages_once_idx ON outbound_messages (inbound_wamid, purpose) WHERE inbound_wamid IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX outbound_messages_tenant_idx ON outbound_messages (tenant_id, created_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbound_messages`);
    await q.query(`DROP TABLE inbound_messages`);
  }
}
