import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * token_ledger 'refund' entries (billing module): the tokens charged for an answer Meta never
 * received (the Graph API kept refusing it until the job failed for good) go back to the shop.
 * A refund only adds to available (reserved unchanged); at most one per inbound message.
 */
export class Refunds1763900000752 implements MigrationInterface {
  name = 'Refunds1763900000752';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE token_ledger DROP CONSTRAINT token_ledger_entry_type_check`);
    await q.query(`
      ALTER TABLE token_ledger ADD CONSTRAINT token_ledger_entry_type_check
        CHECK (entry_type IN ('credit', 'reserve', 'release', 'debit', 'adjustment', 'refund'))`);
    await q.query(`ALTER TABLE token_ledger DROP CONSTRAINT token_ledger_entry_shape`);
    await q.query(`
      ALTER TABLE token_ledger ADD CONSTRAINT token_ledger_entry_shape CHECK (
        (entry_type = 'credit' AND available_delta = tokens AND reserved_delta = 0)
        OR (entry_type = 'reserve' AND available_delta = -tokens AND reserved_delta = tokens)
        OR (entry_type = 'release' AND available_delta = tokens AND reserved_delta = -tokens)
        OR (entry_type = 'debit' AND available_delta <= 0 AND reserved_delta <= 0
            AND available_delta + reserved_delta = -tokens)
        OR (entry_type = 'adjustment' AND reserved_delta = 0
            AND available_delta IN (-tokens, 0, tokens))
        OR (entry_type = 'refund' AND available_delta = tokens AND reserved_delta = 0
            AND reference IS NOT NULL)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX token_ledger_refund_once ON token_ledger (reference) WHERE entry_type = 'refund'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX token_ledger_refund_once`);
    await q.query(`ALTER TABLE token_ledger DROP CONSTRAINT token_ledger_entry_shape`);
    await q.query(`
      ALTER TABLE token_ledger ADD CONSTRAINT token_ledger_entry_shape CHECK (
        (entry_type = 'credit' AND available_delta = tokens AND reserved_delta = 0)
        OR (entry_type = 'reserve' AND available_delta = -tokens AND reserved_delta = tokens)
        OR (entry_type = 'release' AND available_delta = tokens AND reserved_delta = -tokens)
        OR (entry_type = 'debit' AND available_delta <= 0 AND reserved_delta <= 0
            AND available_delta + reserved_delta = -tokens)
        OR (entry_type = 'adjustment' AND reserved_delta = 0
            AND available_delta IN (-tokens, 0, tokens))
      )`);
    await q.query(`ALTER TABLE token_ledger DROP CONSTRAINT token_ledger_entry_type_check`);
    await q.query(`
      ALTER TABLE token_ledger ADD CONSTRAINT token_ledger_entry_type_check
        CHECK (entry_type IN ('credit', 'reserve', 'release', 'debit', 'adjustment'))`);
  }
}
