import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per shop and shop-local day the daily close was sent (or tried). Owner: daily-close
 * (DailyClosesRepository). The primary key is the once-per-shop-per-day guarantee: whichever
 * worker inserts the row sends the message; every other worker's insert does nothing.
 */
export class DailyCloses1763900000771 implements MigrationInterface {
  name = 'DailyCloses1763900000771';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE daily_closes (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        local_day date NOT NULL,
        status text NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'sent', 'failed')),
        -- 'text' inside Meta's 24-hour window, 'template' outside it (or after a 131047).
        kind text CHECK (kind IN ('text', 'template')),
        to_wa_id text NOT NULL,
        body text NOT NULL,
        wamid text,
        error_code integer,
        error_title text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        PRIMARY KEY (tenant_id, local_day)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE daily_closes`);
  }
}
