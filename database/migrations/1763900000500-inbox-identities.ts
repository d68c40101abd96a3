import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Senders Meta identifies without a phone number. Since 2026 messages carry a business-scoped
 * user id (BSUID, `from_user_id`), and users who adopt a username come with it alone: such a
 * message is stored (not dropped as malformed) and its reply is addressed to that id. Edits,
 * deletes and reactions name the message they are about (ref_wamid), so the worker can find
 * the edit of a question it has not answered yet. Owner: inbox.
 */
export class InboxIdentities1763900000500 implements MigrationInterface {
  name = 'InboxIdentities1763900000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbound_messages ALTER COLUMN from_wa_id DROP NOT NULL`);
    await q.query(`ALTER TABLE inbound_messages ADD COLUMN from_user_id text`);
    await q.query(`ALTER TABLE inbound_messages ADD COLUMN ref_wamid text`);
    await q.query(`
      ALTER TABLE inbound_messages ADD CONSTRAINT inbound_messages_sender
        CHECK (from_wa_id IS NOT NULL OR from_user_id IS NOT NULL)`);
    await q.query(
      `CREATE INDEX inbound_messages_chat_user_idx ON inbound_messages (phone_number_id, from_user_id, sent_at)
        WHERE from_user_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX inbound_messages_ref_idx ON inbound_messages (ref_wamid) WHERE ref_wamid IS NOT NULL`,
    );
    await q.query(`ALTER TABLE outbound_messages ALTER COLUMN to_wa_id DROP NOT NULL`);
    await q.query(`ALTER TABLE outbound_messages ADD COLUMN to_user_id text`);
    await q.query(`
      ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_recipient
        CHECK (to_wa_id IS NOT NULL OR to_user_id IS NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_recipient`);
    await q.query(`ALTER TABLE outbound_messages DROP COLUMN to_user_id`);
    await q.query(`DELETE FROM outbound_messages WHERE to_wa_id IS NULL`);
    await q.query(`ALTER TABLE outbound_messages ALTER COLUMN to_wa_id SET NOT NULL`);
    await q.query(`DROP INDEX inbound_messages_ref_idx`);
    await q.query(`DROP INDEX inbound_messages_chat_user_idx`);
    await q.query(`ALTER TABLE inbound_messages DROP CONSTRAINT inbound_messages_sender`);
    await q.query(`ALTER TABLE inbound_messages DROP COLUMN ref_wamid`);
    await q.query(`ALTER TABLE inbound_messages DROP COLUMN from_user_id`);
    await q.query(`DELETE FROM inbound_messages WHERE from_wa_id IS NULL`);
    await q.query(`ALTER TABLE inbound_messages ALTER COLUMN from_wa_id SET NOT NULL`);
  }
}
