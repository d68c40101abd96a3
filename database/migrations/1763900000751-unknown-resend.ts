import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * outbound_messages.resend_claimed_at (inbox module): when the unknown-reply resolver claimed a
 * reply left 'unknown' by a crash during its Graph send, to send it again. Set once, by a
 * conditional UPDATE: a reply is re-sent at most once, whatever the number of workers.
 */
export class UnknownResend1763900000751 implements MigrationInterface {
  name = 'UnknownResend1763900000751';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbound_messages ADD COLUMN resend_claimed_at timestamptz`);
    await q.query(
      `CREATE INDEX outbound_messages_unknown_idx ON outbound_messages (updated_at) WHERE status = 'unknown'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbound_messages_unknown_idx`);
    await q.query(`ALTER TABLE outbound_messages DROP COLUMN resend_claimed_at`);
  }
}
