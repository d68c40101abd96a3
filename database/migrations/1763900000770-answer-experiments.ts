import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The A/B arm an answer was routed by. Owner: inbox (outbound_messages). Recorded on the
 * reply row, the one record every answer has (even a level-2/3 answer that made no LLM
 * call), so the experiment report counts fallback rates over all of an arm's answers.
 */
export class AnswerExperiments1763900000770 implements MigrationInterface {
  name = 'AnswerExperiments1763900000770';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE outbound_messages
        ADD COLUMN experiment text,
        ADD COLUMN experiment_arm text CHECK (experiment_arm IN ('a', 'b')),
        ADD CONSTRAINT outbound_messages_experiment_arm
          CHECK ((experiment IS NULL) = (experiment_arm IS NULL))`);
    await q.query(
      `CREATE INDEX outbound_messages_experiment_idx ON outbound_messages (experiment, created_at)
        WHERE experiment IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbound_messages_experiment_idx`);
    await q.query(`
      ALTER TABLE outbound_messages
        DROP CONSTRAINT outbound_messages_experiment_arm,
        DROP COLUMN experiment_arm,
        DROP COLUMN experiment`);
  }
}
