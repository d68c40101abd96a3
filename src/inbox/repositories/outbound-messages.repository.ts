import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { affectedCount, type SqlExecutor } from '../../database/sql-executor';
import type { DeliveryStatusInput, OutboundMessage, PreparedOutbound } from '../inbox.types';

/** Progress order of delivery states, so late or repeated receipts cannot move a message back. */
function rank(expr: string): string {
  return `(CASE ${expr} WHEN 'pending' THEN 0 WHEN 'sending' THEN 1 WHEN 'unknown' THEN 1
    WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 ELSE 0 END)`;
}

/** The only code that names outbound_messages in SQL. */
@Injectable()
export class OutboundMessagesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Retention: blanks the text and the Graph request of messages created before `cutoff`. */
  async blankBodiesBefore(cutoff: Date, batch = 1_000): Promise<number> {
    let total = 0;
    for (;;) {
      const result: unknown = await this.db.query(
        `UPDATE outbound_messages SET text = NULL, request = '{}'::jsonb, error_title = NULL
          WHERE id IN (
            SELECT id FROM outbound_messages
             WHERE created_at < $1 AND status NOT IN ('pending', 'sending')
               AND (text IS NOT NULL OR request <> '{}'::jsonb OR error_title IS NOT NULL)
             LIMIT $2)`,
        [cutoff, batch],
      );
      const n = affectedCount(result);
      total += n;
      if (n < batch) return total;
    }
  }

  /** A deleted shop's replies and notices: the shop's rows and those sent from its numbers. */
  async deleteOfTenant(tenantId: string, phoneNumberIds: string[]): Promise<number> {
    const result: unknown = await this.db.query(
      `DELETE FROM outbound_messages WHERE tenant_id = $1 OR phone_number_id = ANY($2::text[])`,
      [tenantId, phoneNumberIds],
    );
    return affectedCount(result);
  }

  /** Everything prepared for an inbound message, reply first, in creation order. */
  async findByInbound(inboundWamid: string): Promise<OutboundMessage[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM outbound_messages WHERE inbound_wamid = $1
        ORDER BY (purpose = 'reply') DESC, id`,
      [inboundWamid],
    );
    return rows.map(toOutbound);
  }

  /** Stores the message to send; the existing row when one was already prepared. */
  async insertOnce(executor: SqlExecutor, m: PreparedOutbound): Promise<OutboundMessage> {
    const inserted: Record<string, unknown>[] = await executor.query(
      `INSERT INTO outbound_messages
         (inbound_wamid, purpose, tenant_id, phone_number_id, to_wa_id, to_user_id, type, text,
          request, fallback_level, experiment, experiment_arm)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (inbound_wamid, purpose) WHERE inbound_wamid IS NOT NULL DO NOTHING
       RETURNING *`,
      [
        m.inboundWamid,
        m.purpose,
        m.tenantId,
        m.phoneNumberId,
        m.toWaId,
        m.toUserId,
        m.type,
        m.text,
        m.request,
        m.fallbackLevel,
        m.experiment?.name ?? null,
        m.experiment?.arm ?? null,
      ],
    );
    if (inserted[0]) return toOutbound(inserted[0]);
    const existing: Record<string, unknown>[] = await executor.query(
      `SELECT * FROM outbound_messages WHERE inbound_wamid = $1 AND purpose = $2`,
      [m.inboundWamid, m.purpose],
    );
    return toOutbound(existing[0]);
  }

  /** The answers (reply rows) routed by an experiment, created in [from, to). */
  async experimentAnswers(
    experiment: string,
    from: Date,
    to: Date,
  ): Promise<
    {
      inboundWamid: string;
      tenantId: string | null;
      arm: 'a' | 'b';
      fallbackLevel: string | null;
    }[]
  > {
    const rows: {
      inbound_wamid: string;
      tenant_id: string | null;
      experiment_arm: 'a' | 'b';
      fallback_level: string | null;
    }[] = await this.db.query(
      `SELECT inbound_wamid, tenant_id, experiment_arm, fallback_level FROM outbound_messages
        WHERE experiment = $1 AND purpose = 'reply' AND inbound_wamid IS NOT NULL
          AND created_at >= $2 AND created_at < $3
        ORDER BY id`,
      [experiment, from, to],
    );
    return rows.map((r) => ({
      inboundWamid: r.inbound_wamid,
      tenantId: r.tenant_id,
      arm: r.experiment_arm,
      fallbackLevel: r.fallback_level,
    }));
  }

  /** 'pending'/'failed' → 'sending'; false when someone else has it (or a crash left it). */
  async claimForSending(id: string): Promise<boolean> {
    const result: unknown = await this.db.query(
      `UPDATE outbound_messages SET status = 'sending', updated_at = now()
        WHERE id = $1 AND status IN ('pending', 'failed')`,
      [id],
    );
    return affectedCount(result) > 0;
  }

  /** A row left 'sending' may or may not have reached Meta: it is 'unknown', never resent blindly. */
  async markUnknownIfSending(id: string): Promise<void> {
    await this.db.query(
      `UPDATE outbound_messages SET status = 'unknown', updated_at = now()
        WHERE id = $1 AND status = 'sending'`,
      [id],
    );
  }

  async markSent(id: string, wamid: string): Promise<void> {
    await this.db.query(
      `UPDATE outbound_messages SET status = 'sent', wamid = $2, sent_at = COALESCE(sent_at, now()),
          updated_at = now() WHERE id = $1`,
      [id, wamid],
    );
  }

  async markFailed(id: string, errorCode: number | null, errorTitle: string): Promise<void> {
    await this.db.query(
      `UPDATE outbound_messages SET status = 'failed', error_code = $2, error_title = $3,
          failed_at = now(), updated_at = now() WHERE id = $1`,
      [id, errorCode, errorTitle.slice(0, 500)],
    );
  }

  /**
   * A delivery receipt moves a message forward (sent → delivered → read) and never back: Meta
   * does not guarantee their order. 'failed' keeps its error code and title. Returns the number
   * of rows it matched.
   */
  async applyStatus(e: DeliveryStatusInput & { status: string }): Promise<number> {
    const result: unknown = await this.db.query(
      `UPDATE outbound_messages SET
          status = CASE WHEN $2::text = 'failed' THEN 'failed'
                        WHEN status = 'failed' THEN status
                        WHEN ${rank('$2::text')} > ${rank('status')} THEN $2::text ELSE status END,
          sent_at = COALESCE(sent_at, CASE WHEN $2::text IN ('sent','delivered','read') THEN $3::timestamptz END),
          delivered_at = COALESCE(delivered_at, CASE WHEN $2::text IN ('delivered','read') THEN $3::timestamptz END),
          read_at = COALESCE(read_at, CASE WHEN $2::text = 'read' THEN $3::timestamptz END),
          failed_at = CASE WHEN $2::text = 'failed' THEN $3::timestamptz ELSE failed_at END,
          error_code = CASE WHEN $2::text = 'failed' THEN $4::int ELSE error_code END,
          error_title = CASE WHEN $2::text = 'failed' THEN $5 ELSE error_title END,
          wamid = COALESCE(wamid, $1),
          updated_at = now()
        WHERE wamid = $1 OR (wamid IS NULL AND id = $6::bigint)`,
      [e.wamid, e.status, e.at.toISOString(), e.errorCode, e.errorTitle, e.outboundId ?? null],
    );
    return affectedCount(result);
  }

  /**
   * Replies left 'unknown' for longer than `olderThanSeconds` and never re-sent: claimed
   * 'sending' for their one re-send. The conditional UPDATE lets one worker win each row.
   */
  async claimUnknownForResend(olderThanSeconds: number, limit: number): Promise<OutboundMessage[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      // In a CTE so the driver hands back plain rows (an UPDATE gives [rows, count]).
      `WITH claimed AS (
       UPDATE outbound_messages SET status = 'sending', resend_claimed_at = now(), updated_at = now()
        WHERE id IN (SELECT id FROM outbound_messages
                      WHERE status = 'unknown' AND resend_claimed_at IS NULL
                        AND updated_at < now() - make_interval(secs => $1)
                      ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
          AND status = 'unknown' AND resend_claimed_at IS NULL
        RETURNING *)
       SELECT * FROM claimed ORDER BY id`,
      [olderThanSeconds, limit],
    );
    return rows.map(toOutbound);
  }

  /** A re-send that itself crashed mid-call: 'unknown' for good (it is never sent a third time). */
  async markStaleResendsUnknown(olderThanSeconds: number): Promise<number> {
    const result: unknown = await this.db.query(
      `UPDATE outbound_messages SET status = 'unknown', updated_at = now()
        WHERE status = 'sending' AND resend_claimed_at IS NOT NULL
          AND updated_at < now() - make_interval(secs => $1)`,
      [olderThanSeconds],
    );
    return affectedCount(result);
  }
}

function toOutbound(r: Record<string, unknown>): OutboundMessage {
  return {
    id: String(r.id),
    inboundWamid: r.inbound_wamid as string | null,
    purpose: r.purpose as string,
    tenantId: r.tenant_id as string | null,
    phoneNumberId: r.phone_number_id as string,
    toWaId: r.to_wa_id as string | null,
    toUserId: r.to_user_id as string | null,
    type: r.type as string,
    text: r.text as string | null,
    request: r.request as Record<string, unknown>,
    wamid: r.wamid as string | null,
    status: r.status as OutboundMessage['status'],
    errorCode: r.error_code as number | null,
    errorTitle: r.error_title as string | null,
    fallbackLevel: r.fallback_level as string | null,
    experiment: (r.experiment as string | null) ?? null,
    experimentArm: (r.experiment_arm as 'a' | 'b' | null) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    sentAt: r.sent_at as Date | null,
    deliveredAt: r.delivered_at as Date | null,
    readAt: r.read_at as Date | null,
    failedAt: r.failed_at as Date | null,
  };
}
