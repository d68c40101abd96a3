import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { withTimeout } from '../common/retry';
import { throttledErrorLog } from '../common/throttled-log';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { Metrics } from '../observability/metrics';
import type { InboundMessageEvent, InboundStatusEvent } from '../whatsapp/inbound-event';
import { INBOUND_JOB_OPTIONS, INBOUND_QUEUE, jobIdFor, type InboundJobData } from './inbound-queue';

/** How long the webhook waits for Redis before leaving the message to the relay. */
const ENQUEUE_TIMEOUT_MS = 1_500;

export interface StoreResult {
  inserted: number;
  duplicates: number;
  queued: number;
  ignored: number;
}

@Injectable()
export class InboxService {
  private readonly log = new Logger(InboxService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(INBOUND_QUEUE) private readonly queue: Queue<InboundJobData>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    const logError = throttledErrorLog((m) => this.log.warn(m));
    this.queue.on('error', (err) => logError('Queue connection error', err));
  }

  /**
   * Durable first: one INSERT … ON CONFLICT (wamid) DO NOTHING for the whole batch, which also
   * marks stale messages and unknown senders as ignored. Only the rows this call inserted are
   * enqueued, so a redelivery is a no-op. If Redis is unavailable the rows stay 'received'
   * and the relay enqueues them later.
   */
  async storeMessages(events: InboundMessageEvent[]): Promise<StoreResult> {
    const unique = [...new Map(events.map((e) => [e.wamid, e])).values()];
    if (unique.length === 0) return { inserted: 0, duplicates: 0, queued: 0, ignored: 0 };
    const rows = unique.map((e) => ({
      wamid: e.wamid,
      phone_number_id: e.phoneNumberId,
      from_wa_id: e.from,
      contact_name: e.contactName,
      type: e.type,
      text: e.text,
      payload: e.payload,
      sent_at: e.sentAt.toISOString(),
    }));
    const inserted: { wamid: string; status: string }[] = await this.db.query(
      `INSERT INTO inbound_messages
         (wamid, phone_number_id, from_wa_id, contact_name, tenant_id, type, text, payload, sent_at,
          status, ignore_reason)
       SELECT v.wamid, v.phone_number_id, v.from_wa_id, v.contact_name, tu.tenant_id, v.type, v.text,
              v.payload, v.sent_at,
              CASE WHEN v.sent_at < now() - make_interval(hours => $2) OR tu.tenant_id IS NULL
                     OR t.status <> 'active' THEN 'ignored' ELSE 'received' END,
              CASE WHEN v.sent_at < now() - make_interval(hours => $2) THEN 'stale'
                   WHEN tu.tenant_id IS NULL THEN 'unknown_sender'
                   WHEN t.status <> 'active' THEN 'tenant_suspended' END
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (wamid text, phone_number_id text,
              from_wa_id text, contact_name text, type text, text text, payload jsonb,
              sent_at timestamptz)) WITH ORDINALITY
              AS v(wamid, phone_number_id, from_wa_id, contact_name, type, text, payload, sent_at, n)
         LEFT JOIN tenant_users tu ON tu.wa_id = v.from_wa_id
         LEFT JOIN tenants t ON t.id = tu.tenant_id
         -- ids follow the payload's order: messages of one second are answered in that order.
         ORDER BY v.n
       ON CONFLICT (wamid) DO NOTHING
       RETURNING wamid, status`,
      [JSON.stringify(rows), this.config.INBOUND_MAX_AGE_HOURS],
    );
    const toQueue = inserted.filter((r) => r.status === 'received').map((r) => r.wamid);
    const ignored = inserted.length - toQueue.length;
    this.metrics.inboundMessages.inc({ outcome: 'stored' }, inserted.length);
    this.metrics.inboundMessages.inc({ outcome: 'duplicate' }, unique.length - inserted.length);
    this.metrics.inboundMessages.inc({ outcome: 'ignored' }, ignored);
    const queued = await this.enqueue(toQueue, 'webhook');
    return {
      inserted: inserted.length,
      duplicates: unique.length - inserted.length,
      queued,
      ignored,
    };
  }

  /** Adds jobs (jobId = wamid, so BullMQ dedupes too) and marks the rows 'queued'. */
  async enqueue(
    wamids: string[],
    source: 'webhook' | 'relay' | 'replay',
    db: Pick<DataSource, 'query'> = this.db,
  ): Promise<number> {
    if (wamids.length === 0) return 0;
    try {
      const jobs = wamids.map((wamid) => ({
        name: 'inbound',
        data: { wamid },
        opts: { ...INBOUND_JOB_OPTIONS, jobId: jobIdFor(wamid) },
      }));
      // One message per POST is the common case, and add() is cheaper than a one-job addBulk.
      const added: Promise<unknown> =
        jobs.length === 1
          ? this.queue.add(jobs[0].name, jobs[0].data, jobs[0].opts)
          : this.queue.addBulk(jobs);
      await withTimeout(
        added,
        ENQUEUE_TIMEOUT_MS,
        () => new Error(`enqueue timed out after ${ENQUEUE_TIMEOUT_MS} ms`),
      );
    } catch (err) {
      this.metrics.enqueueFailures.inc({ source });
      this.log.warn(
        `Could not enqueue ${wamids.length} message(s) from ${source}; the relay will retry: ${(err as Error).message}`,
      );
      return 0;
    }
    const marked = db.query(
      `UPDATE inbound_messages SET status = 'queued', updated_at = now()
        WHERE wamid = ANY($1) AND status IN ('received', 'failed')`,
      [wamids],
    );
    if (source === 'webhook') {
      // Not waited for on the webhook path (it was a second commit per message): the job is
      // already queued, and a row left 'received' is only re-added by the relay, which the
      // job id (wamid) dedupes and the worker's claim makes harmless.
      marked.catch((err: Error) => this.log.warn(`Could not mark rows queued: ${err.message}`));
    } else {
      await marked;
    }
    return wamids.length;
  }

  /**
   * Puts a message back on the queue: a failed job kept by BullMQ is retried in place,
   * anything else gets a fresh job. The worker's idempotency keeps it answered at most once.
   */
  async replay(wamid: string): Promise<boolean> {
    const job = await this.queue.getJob(jobIdFor(wamid));
    if (job && (await job.isFailed())) {
      await job.retry('failed');
      await this.db.query(
        `UPDATE inbound_messages SET status = 'queued', updated_at = now() WHERE wamid = $1`,
        [wamid],
      );
      return true;
    }
    if (job) await job.remove().catch(() => undefined);
    await this.db.query(
      `UPDATE inbound_messages SET status = 'received', updated_at = now()
        WHERE wamid = $1 AND status IN ('failed', 'ignored')`,
      [wamid],
    );
    return (await this.enqueue([wamid], 'replay')) > 0;
  }

  /**
   * Delivery receipts move an outbound message forward (sent → delivered → read) and never
   * back: Meta does not guarantee their order. 'failed' keeps its error code and title.
   */
  async applyStatuses(events: InboundStatusEvent[]): Promise<number> {
    let updated = 0;
    for (const e of events) {
      // 'played' (voice notes) is a read; 'deleted' changes nothing we track.
      if (e.status === 'deleted') continue;
      const status = e.status === 'played' ? 'read' : e.status;
      const result: [unknown[], number] = await this.db.query(
        `UPDATE outbound_messages SET
            status = CASE WHEN $2::text = 'failed' THEN 'failed'
                          WHEN status = 'failed' THEN status
                          WHEN ${RANK('$2::text')} > ${RANK('status')} THEN $2::text ELSE status END,
            sent_at = COALESCE(sent_at, CASE WHEN $2::text IN ('sent','delivered','read') THEN $3::timestamptz END),
            delivered_at = COALESCE(delivered_at, CASE WHEN $2::text IN ('delivered','read') THEN $3::timestamptz END),
            read_at = COALESCE(read_at, CASE WHEN $2::text = 'read' THEN $3::timestamptz END),
            failed_at = CASE WHEN $2::text = 'failed' THEN $3::timestamptz ELSE failed_at END,
            error_code = CASE WHEN $2::text = 'failed' THEN $4::int ELSE error_code END,
            error_title = CASE WHEN $2::text = 'failed' THEN $5 ELSE error_title END,
            updated_at = now()
          WHERE wamid = $1`,
        [e.wamid, status, e.at.toISOString(), e.errorCode, e.errorTitle],
      );
      const n = result[1];
      updated += n;
      this.metrics.statusUpdates.inc({ status, matched: n > 0 ? 'yes' : 'no' });
    }
    return updated;
  }
}

/** Progress order of delivery states, so late or repeated receipts cannot move a message back. */
function RANK(expr: string): string {
  return `(CASE ${expr} WHEN 'pending' THEN 0 WHEN 'sending' THEN 1 WHEN 'unknown' THEN 1
    WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 ELSE 0 END)`;
}
