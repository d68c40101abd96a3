import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { affectedCount, returnedRows, type SqlExecutor } from '../../database/sql-executor';
import type {
  FailedInboundMessage,
  IgnoreReason,
  InboundMessage,
  InboundMessageInput,
  InboundStatus,
} from '../inbox.types';

export type FinalStatus = 'processed' | 'ignored' | 'failed';

/** The only code that names inbound_messages in SQL. */
@Injectable()
export class InboundMessagesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Retention: blanks the body (text, the contact's name, the raw payload, the last error) of
   * finished messages received before `cutoff`, `batch` rows per statement. The row stays
   * (wamid for deduplication, status, timestamps). Returns the rows blanked.
   */
  async blankBodiesBefore(cutoff: Date, batch = 1_000): Promise<number> {
    let total = 0;
    for (;;) {
      const result: unknown = await this.db.query(
        `UPDATE inbound_messages
            SET text = NULL, contact_name = NULL, payload = '{}'::jsonb, last_error = NULL,
                updated_at = now()
          WHERE id IN (
            SELECT id FROM inbound_messages
             WHERE received_at < $1 AND status IN ('processed', 'ignored', 'failed')
               AND (text IS NOT NULL OR contact_name IS NOT NULL OR payload <> '{}'::jsonb
                    OR last_error IS NOT NULL)
             LIMIT $2)`,
        [cutoff, batch],
      );
      const n = affectedCount(result);
      total += n;
      if (n < batch) return total;
    }
  }

  /** A deleted shop's messages: every row of the shop or received on one of its numbers. */
  async deleteOfTenant(tenantId: string, phoneNumberIds: string[]): Promise<number> {
    const result: unknown = await this.db.query(
      `DELETE FROM inbound_messages WHERE tenant_id = $1 OR phone_number_id = ANY($2::text[])`,
      [tenantId, phoneNumberIds],
    );
    return affectedCount(result);
  }

  /**
   * One INSERT … ON CONFLICT (wamid) DO NOTHING for a whole batch; messages older than
   * `maxAgeHours` are stored as ignored ('stale'). Returns only the rows this call inserted,
   * so a redelivery inserts (and enqueues) nothing. Ids follow the payload's order: messages
   * of one second are answered in that order.
   */
  async insertBatch(
    messages: InboundMessageInput[],
    maxAgeHours: number,
  ): Promise<{ wamid: string; status: InboundStatus }[]> {
    const rows = messages.map((e) => ({
      wamid: e.wamid,
      phone_number_id: e.phoneNumberId,
      from_wa_id: e.from,
      from_user_id: e.fromUserId,
      contact_name: e.contactName,
      type: e.type,
      text: e.text,
      ref_wamid: e.refWamid,
      payload: e.payload,
      sent_at: e.sentAt.toISOString(),
    }));
    return this.db.query(
      `INSERT INTO inbound_messages
         (wamid, phone_number_id, from_wa_id, from_user_id, contact_name, type, text, ref_wamid,
          payload, sent_at, status, ignore_reason)
       SELECT v.wamid, v.phone_number_id, v.from_wa_id, v.from_user_id, v.contact_name, v.type,
              v.text, v.ref_wamid, v.payload, v.sent_at,
              CASE WHEN v.type = 'malformed' THEN 'ignored'
                   WHEN v.sent_at < now() - make_interval(hours => $2) THEN 'ignored'
                   ELSE 'received' END,
              CASE WHEN v.type = 'malformed' THEN 'malformed'
                   WHEN v.sent_at < now() - make_interval(hours => $2) THEN 'stale' END
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (wamid text, phone_number_id text,
              from_wa_id text, from_user_id text, contact_name text, type text, text text,
              ref_wamid text, payload jsonb, sent_at timestamptz)) WITH ORDINALITY
              AS v(wamid, phone_number_id, from_wa_id, from_user_id, contact_name, type, text,
                   ref_wamid, payload, sent_at, n)
        ORDER BY v.n
       ON CONFLICT (wamid) DO NOTHING
       RETURNING wamid, status`,
      [JSON.stringify(rows), maxAgeHours],
    );
  }

  /** 'queued' once their jobs exist (rows already further along are left alone). */
  async markQueued(wamids: string[], executor: SqlExecutor = this.db): Promise<void> {
    await executor.query(
      `UPDATE inbound_messages SET status = 'queued', updated_at = now()
        WHERE wamid = ANY($1) AND status IN ('received', 'failed')`,
      [wamids],
    );
  }

  /** Rows stored but never queued (older than the grace period), locked for the relay. */
  async lockUnqueued(tx: SqlExecutor, graceSeconds: number, limit: number): Promise<string[]> {
    const rows: { wamid: string }[] = await tx.query(
      `SELECT wamid FROM inbound_messages
        WHERE status = 'received' AND received_at < now() - make_interval(secs => $1)
        ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [graceSeconds, limit],
    );
    return rows.map((r) => r.wamid);
  }

  /**
   * Rows 'queued' or 'processing' untouched for `stuckSeconds`: their job may be gone (Redis
   * lost it) or dead (it failed while PostgreSQL was down, so its final mark was lost).
   */
  async findStuck(
    stuckSeconds: number,
    limit: number,
  ): Promise<{ wamid: string; attempts: number }[]> {
    return this.db.query(
      `SELECT wamid, attempts FROM inbound_messages
        WHERE status IN ('queued', 'processing') AND updated_at < now() - make_interval(secs => $1)
        ORDER BY updated_at LIMIT $2`,
      [stuckSeconds, limit],
    );
  }

  /** A stuck row back to 'received' for the relay (only if still stuck: a worker may have it). */
  async reopenStuck(wamid: string, stuckSeconds: number): Promise<boolean> {
    const result: unknown = await this.db.query(
      `UPDATE inbound_messages SET status = 'received', updated_at = now()
        WHERE wamid = $1 AND status IN ('queued', 'processing')
          AND updated_at < now() - make_interval(secs => $2)`,
      [wamid, stuckSeconds],
    );
    return affectedCount(result) > 0;
  }

  /** A stuck row out of attempts: failed for good, listed in /admin/inbox/failed. */
  async failStuck(wamid: string, stuckSeconds: number, error: string): Promise<boolean> {
    const result: unknown = await this.db.query(
      `UPDATE inbound_messages SET status = 'failed', last_error = $3, updated_at = now()
        WHERE wamid = $1 AND status IN ('queued', 'processing')
          AND updated_at < now() - make_interval(secs => $2)`,
      [wamid, stuckSeconds, error.slice(0, 1000)],
    );
    return affectedCount(result) > 0;
  }

  /** Marks the message as being processed; null if it is gone or already done. */
  async claim(wamid: string): Promise<InboundMessage | null> {
    const rows = returnedRows<Record<string, unknown>>(
      await this.db.query(
        `UPDATE inbound_messages SET status = 'processing', attempts = attempts + 1, updated_at = now()
          WHERE wamid = $1 AND status IN ('received', 'queued', 'processing', 'failed')
          RETURNING *`,
        [wamid],
      ),
    );
    return rows[0] ? toInbound(rows[0]) : null;
  }

  async finish(
    wamid: string,
    status: FinalStatus,
    detail: { ignoreReason?: IgnoreReason; error?: string; tenantId?: string } = {},
  ): Promise<void> {
    await this.db.query(
      `UPDATE inbound_messages SET status = $2, ignore_reason = COALESCE($3, ignore_reason),
          last_error = COALESCE($4, last_error), tenant_id = COALESCE($5, tenant_id),
          processed_at = CASE WHEN $2 = 'processed' THEN now() ELSE processed_at END,
          updated_at = now()
        WHERE wamid = $1`,
      [
        wamid,
        status,
        detail.ignoreReason ?? null,
        detail.error?.slice(0, 1000) ?? null,
        detail.tenantId ?? null,
      ],
    );
  }

  async recordError(wamid: string, error: string): Promise<void> {
    await this.db.query(
      `UPDATE inbound_messages SET last_error = $2, updated_at = now() WHERE wamid = $1`,
      [wamid, error.slice(0, 1000)],
    );
  }

  /**
   * Whether an earlier message of the same chat (by Meta's timestamp, then arrival) is still
   * waiting to be answered; earlier ones unanswered for longer than `staleAfterSeconds` are left
   * behind (they failed or are stuck).
   */
  async hasEarlierUnanswered(wamid: string, staleAfterSeconds: number): Promise<boolean> {
    // One chat: the same phone, or the same BSUID when Meta withholds the phone. Two EXISTS,
    // each over its own (phone_number_id, sender, sent_at) index, rather than an OR join.
    const earlier = (sender: 'from_wa_id' | 'from_user_id') => `
      EXISTS (SELECT 1 FROM inbound_messages e
               WHERE e.phone_number_id = me.phone_number_id AND e.${sender} = me.${sender}
                 AND (e.sent_at, e.id) < (me.sent_at, me.id)
                 AND e.status IN ('received', 'queued', 'processing')
                 AND e.received_at > now() - make_interval(secs => $2))`;
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM inbound_messages me
        WHERE me.wamid = $1 AND (${earlier('from_wa_id')} OR ${earlier('from_user_id')})`,
      [wamid, staleAfterSeconds],
    );
    return rows.length > 0;
  }

  /** The edits and deletes stored for a message, newest first (by Meta's time). */
  async changesOf(wamid: string): Promise<InboundMessage[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM inbound_messages
        WHERE ref_wamid = $1 AND type IN ('edit', 'revoke')
        ORDER BY sent_at DESC, id DESC`,
      [wamid],
    );
    return rows.map(toInbound);
  }

  /** When each sender last wrote to these business numbers, since `since` (Meta's send time). */
  async lastWrittenBy(
    phoneNumberIds: string[],
    since: Date,
  ): Promise<{ fromWaId: string | null; fromUserId: string | null; sentAt: Date }[]> {
    const rows: { from_wa_id: string | null; from_user_id: string | null; sent_at: Date }[] =
      await this.db.query(
        `SELECT from_wa_id, from_user_id, max(sent_at) AS sent_at FROM inbound_messages
          WHERE phone_number_id = ANY($1::text[]) AND sent_at >= $2
          GROUP BY from_wa_id, from_user_id`,
        [phoneNumberIds, since],
      );
    return rows.map((r) => ({
      fromWaId: r.from_wa_id,
      fromUserId: r.from_user_id,
      sentAt: new Date(r.sent_at),
    }));
  }

  async find(wamid: string): Promise<InboundMessage | null> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM inbound_messages WHERE wamid = $1`,
      [wamid],
    );
    return rows[0] ? toInbound(rows[0]) : null;
  }

  /**
   * Takes a message no worker has claimed yet out of the queue's way (its job, when it runs,
   * finds nothing to claim). False when it is already being answered or done: the database
   * decides who answers, so an edit and its original are never both answered.
   */
  async supersede(wamid: string, reason: IgnoreReason): Promise<boolean> {
    const result: unknown = await this.db.query(
      `UPDATE inbound_messages SET status = 'ignored', ignore_reason = $2, updated_at = now()
        WHERE wamid = $1 AND status IN ('received', 'queued')`,
      [wamid, reason],
    );
    return affectedCount(result) > 0;
  }

  async exists(wamid: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM inbound_messages WHERE wamid = $1`, [
      wamid,
    ]);
    return rows.length > 0;
  }

  async setStatus(wamid: string, status: 'queued'): Promise<void> {
    await this.db.query(
      `UPDATE inbound_messages SET status = $2, updated_at = now() WHERE wamid = $1`,
      [wamid, status],
    );
  }

  /** A failed or ignored message goes back to 'received', to be queued again. */
  async reopen(wamid: string): Promise<void> {
    await this.db.query(
      `UPDATE inbound_messages SET status = 'received', updated_at = now()
        WHERE wamid = $1 AND status IN ('failed', 'ignored')`,
      [wamid],
    );
  }

  async listFailed(limit: number): Promise<FailedInboundMessage[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT wamid, tenant_id, from_wa_id, from_user_id, type, text, attempts, last_error, sent_at, updated_at
         FROM inbound_messages WHERE status = 'failed' ORDER BY updated_at DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      wamid: r.wamid as string,
      tenantId: r.tenant_id as string | null,
      from: (r.from_wa_id ?? r.from_user_id) as string | null,
      type: r.type as string,
      text: r.text as string | null,
      attempts: r.attempts as number,
      lastError: r.last_error as string | null,
      sentAt: r.sent_at as Date,
      failedAt: r.updated_at as Date,
    }));
  }
}

function toInbound(r: Record<string, unknown>): InboundMessage {
  return {
    id: String(r.id),
    wamid: r.wamid as string,
    phoneNumberId: r.phone_number_id as string,
    fromWaId: r.from_wa_id as string | null,
    fromUserId: r.from_user_id as string | null,
    contactName: r.contact_name as string | null,
    tenantId: r.tenant_id as string | null,
    type: r.type as string,
    text: r.text as string | null,
    refWamid: r.ref_wamid as string | null,
    payload: r.payload as Record<string, unknown>,
    sentAt: r.sent_at as Date,
    receivedAt: r.received_at as Date,
    status: r.status as InboundStatus,
    ignoreReason: r.ignore_reason as IgnoreReason | null,
    attempts: r.attempts as number,
    lastError: r.last_error as string | null,
    processedAt: r.processed_at as Date | null,
    updatedAt: r.updated_at as Date,
  };
}
