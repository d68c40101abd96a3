import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Answers served from the response cache. Owner: billing (token_usage).
 * A hit is one 'chat' row with cache = true, 0 tokens and 0 charged; tokens_saved is what
 * the cached answer cost when it was computed, so the report can say what the cache saved.
 */
export class UsageCache1763900000720 implements MigrationInterface {
  name = 'UsageCache1763900000720';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE token_usage
        ADD COLUMN cache boolean NOT NULL DEFAULT false,
        ADD COLUMN tokens_saved integer NOT NULL DEFAULT 0 CHECK (tokens_saved >= 0),
        ADD CONSTRAINT token_usage_cache_free CHECK (NOT cache OR (tokens_total = 0 AND tokens_charged = 0))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE token_usage
        DROP CONSTRAINT token_usage_cache_free,
        DROP COLUMN tokens_saved,
        DROP COLUMN cache`);
  }
}
