import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { affectedCount } from '../database/sql-executor';

export type DailyCloseKind = 'text' | 'template';

export interface DailyCloseRecord {
  tenantId: string;
  day: string;
  status: 'sending' | 'sent' | 'failed';
  kind: DailyCloseKind | null;
  toWaId: string;
  body: string;
  wamid: string | null;
  errorCode: number | null;
  sentAt: Date | null;
}

/** The only code that names daily_closes in SQL. */
@Injectable()
export class DailyClosesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Takes the right to send this shop's close for this day: true for exactly one caller (the
   * one whose insert made the row, or who re-opened a failed attempt), false for everyone
   * else, however many workers try at once.
   */
  async claim(c: {
    tenantId: string;
    day: string;
    toWaId: string;
    body: string;
  }): Promise<boolean> {
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO daily_closes (tenant_id, local_day, to_wa_id, body) VALUES ($1, $2::date, $3, $4)
       ON CONFLICT (tenant_id, local_day) DO NOTHING RETURNING tenant_id`,
      [c.tenantId, c.day, c.toWaId, c.body],
    );
    if (inserted.length > 0) return true;
    const reopened: unknown = await this.db.query(
      `UPDATE daily_closes SET status = 'sending', to_wa_id = $3, body = $4,
              error_code = NULL, error_title = NULL
        WHERE tenant_id = $1 AND local_day = $2::date AND status = 'failed'
        RETURNING tenant_id`,
      [c.tenantId, c.day, c.toWaId, c.body],
    );
    return affectedCount(reopened) > 0;
  }

  async markSent(
    tenantId: string,
    day: string,
    kind: DailyCloseKind,
    wamid: string,
  ): Promise<void> {
    await this.db.query(
      `UPDATE daily_closes SET status = 'sent', kind = $3, wamid = $4, sent_at = now()
        WHERE tenant_id = $1 AND local_day = $2::date`,
      [tenantId, day, kind, wamid],
    );
  }

  async markFailed(
    tenantId: string,
    day: string,
    errorCode: number | null,
    errorTitle: string,
  ): Promise<void> {
    await this.db.query(
      `UPDATE daily_closes SET status = 'failed', error_code = $3, error_title = $4
        WHERE tenant_id = $1 AND local_day = $2::date`,
      [tenantId, day, errorCode, errorTitle.slice(0, 500)],
    );
  }

  /** Which of these shops already have a row (sent, being sent or failed) for their day. */
  async existing(pairs: { tenantId: string; day: string }[]): Promise<Set<string>> {
    if (pairs.length === 0) return new Set();
    const rows: { tenant_id: string; day: string }[] = await this.db.query(
      `SELECT c.tenant_id, to_char(c.local_day, 'YYYY-MM-DD') AS day
         FROM daily_closes c
         JOIN unnest($1::uuid[], $2::date[]) AS p(tenant_id, local_day)
           ON p.tenant_id = c.tenant_id AND p.local_day = c.local_day`,
      [pairs.map((p) => p.tenantId), pairs.map((p) => p.day)],
    );
    return new Set(rows.map((r) => `${r.tenant_id}/${r.day}`));
  }

  async find(tenantId: string, day: string): Promise<DailyCloseRecord | null> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT *, to_char(local_day, 'YYYY-MM-DD') AS day FROM daily_closes
        WHERE tenant_id = $1 AND local_day = $2::date`,
      [tenantId, day],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      tenantId: r.tenant_id as string,
      day: r.day as string,
      status: r.status as DailyCloseRecord['status'],
      kind: r.kind as DailyCloseKind | null,
      toWaId: r.to_wa_id as string,
      body: r.body as string,
      wamid: r.wamid as string | null,
      errorCode: r.error_code as number | null,
      sentAt: r.sent_at as Date | null,
    };
  }
}
