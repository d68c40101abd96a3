import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { InboundMessage } from '../inbox/inbound-message.entity';
import type { OutboundMessage } from '../inbox/outbound-message.entity';
import { Metrics } from '../observability/metrics';
import { buildSendBody, GraphApiClient } from '../whatsapp/graph-api.client';
import { GraphApiError } from '../whatsapp/graph-api.errors';
import type { OutgoingMessage } from '../whatsapp/graph-api.types';

export type ReplyPurpose = 'reply' | 'notice';

type Executor = Pick<EntityManager, 'query'>;

/**
 * Sends at most one reply per inbound message and purpose, even when the job is retried.
 *
 * prepare() stores the answer as a 'pending' outbound row (inside the caller's transaction,
 * so the answer and its charge commit together); deliver() claims the row ('sending'),
 * calls the Graph API and records Meta's wamid. If the process dies in the middle of the
 * Graph call the row stays 'sending': a retry cannot know whether Meta got it, so it marks
 * the row 'unknown' rather than risk a duplicate.
 */
@Injectable()
export class ReplySender {
  private readonly log = new Logger(ReplySender.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly graph: GraphApiClient,
    private readonly metrics: Metrics,
  ) {}

  /** Everything already prepared for an inbound message, reply first, in creation order. */
  async findAll(inboundWamid: string): Promise<OutboundMessage[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM outbound_messages WHERE inbound_wamid = $1
        ORDER BY (purpose = 'reply') DESC, id`,
      [inboundWamid],
    );
    return rows.map(toOutbound);
  }

  /** Stores the reply to send; returns the existing row if one was already prepared. */
  async prepare(
    inbound: Pick<InboundMessage, 'wamid' | 'tenantId' | 'phoneNumberId' | 'fromWaId'>,
    message: OutgoingMessage,
    options: { purpose?: ReplyPurpose; fallbackLevel?: string | null; executor?: Executor } = {},
  ): Promise<OutboundMessage> {
    const purpose = options.purpose ?? 'reply';
    const executor = options.executor ?? this.db;
    const request = buildSendBody(inbound.fromWaId, message);
    const inserted: Record<string, unknown>[] = await executor.query(
      `INSERT INTO outbound_messages
         (inbound_wamid, purpose, tenant_id, phone_number_id, to_wa_id, type, text, request, fallback_level)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (inbound_wamid, purpose) WHERE inbound_wamid IS NOT NULL DO NOTHING
       RETURNING *`,
      [
        inbound.wamid,
        purpose,
        inbound.tenantId,
        inbound.phoneNumberId,
        inbound.fromWaId,
        message.type,
        message.body,
        request,
        options.fallbackLevel ?? null,
      ],
    );
    if (inserted[0]) return toOutbound(inserted[0]);
    const existing: Record<string, unknown>[] = await executor.query(
      `SELECT * FROM outbound_messages WHERE inbound_wamid = $1 AND purpose = $2`,
      [inbound.wamid, purpose],
    );
    return toOutbound(existing[0]);
  }

  /** Sends a prepared row once. Returns false when it had already been sent (or may have been). */
  async deliver(row: OutboundMessage): Promise<boolean> {
    const claimed: [unknown[], number] = await this.db.query(
      `UPDATE outbound_messages SET status = 'sending', updated_at = now()
        WHERE id = $1 AND status IN ('pending', 'failed')`,
      [row.id],
    );
    if (claimed[1] === 0) {
      // Someone sent it, or a crash left it 'sending': never send twice.
      await this.db.query(
        `UPDATE outbound_messages SET status = 'unknown', updated_at = now()
          WHERE id = $1 AND status = 'sending'`,
        [row.id],
      );
      this.metrics.outbound.inc({ outcome: 'already_sent' });
      return false;
    }
    try {
      const to = row.toWaId;
      const sent = await this.graph.sendRaw(row.phoneNumberId, { ...row.request, to });
      await this.db.query(
        `UPDATE outbound_messages SET status = 'sent', wamid = $2, sent_at = COALESCE(sent_at, now()),
            updated_at = now() WHERE id = $1`,
        [row.id, sent.wamid],
      );
      this.metrics.outbound.inc({ outcome: 'sent' });
      return true;
    } catch (err) {
      const e = err instanceof GraphApiError ? err : null;
      await this.db.query(
        `UPDATE outbound_messages SET status = 'failed', error_code = $2, error_title = $3,
            failed_at = now(), updated_at = now() WHERE id = $1`,
        [row.id, e?.code ?? null, (err as Error).message.slice(0, 500)],
      );
      this.metrics.outbound.inc({ outcome: e?.kind ?? 'error' });
      this.log.warn(`Reply ${row.id} not sent: ${(err as Error).message}`);
      throw err;
    }
  }
}

function toOutbound(r: Record<string, unknown>): OutboundMessage {
  return {
    id: String(r.id),
    inboundWamid: r.inbound_wamid as string | null,
    purpose: r.purpose as string,
    tenantId: r.tenant_id as string | null,
    phoneNumberId: r.phone_number_id as string,
    toWaId: r.to_wa_id as string,
    type: r.type as string,
    text: r.text as string | null,
    request: r.request as Record<string, unknown>,
    wamid: r.wamid as string | null,
    status: r.status as OutboundMessage['status'],
    errorCode: r.error_code as number | null,
    errorTitle: r.error_title as string | null,
    fallbackLevel: r.fallback_level as string | null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    sentAt: r.sent_at as Date | null,
    deliveredAt: r.delivered_at as Date | null,
    readAt: r.read_at as Date | null,
    failedAt: r.failed_at as Date | null,
  };
}
