import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { shutDownBullClients } from '../../common/bullmq-shutdown';
import type { Queue } from 'bullmq';
import { GroupCommit } from '../../common/group-commit';
import { withTimeout } from '../../common/retry';
import { throttledErrorLog } from '../../common/throttled-log';
import { APP_CONFIG, type AppConfig } from '../../config/config.module';
import type { SqlExecutor } from '../../database/sql-executor';
import { labelFrom, MESSAGE_TYPES } from '../../observability/metric-labels';
import { MetricsService } from '../../observability/metrics.service';
import { InboundMessageNotFoundError } from '../inbox.errors';
import type {
  DeliveryStatusInput,
  FailedInboundMessage,
  InboundMessageInput,
} from '../inbox.types';
import {
  INBOUND_JOB_OPTIONS,
  INBOUND_QUEUE,
  jobIdFor,
  type InboundJobData,
} from '../inbound-queue';
import { InboundMessagesRepository } from '../repositories/inbound-messages.repository';
import { OutboundMessagesRepository } from '../repositories/outbound-messages.repository';

/** How long the webhook waits for Redis before leaving the message to the relay. */
const ENQUEUE_TIMEOUT_MS = 1_500;
/**
 * Batches written at the same time: two keep PostgreSQL busy while the next batch gathers
 * (with one, the connection idles while each response goes out). Not tuned beyond that.
 */
const INGEST_BATCHES_IN_FLIGHT = 2;
/** A few hundred rows keep one INSERT well under a millisecond of planning and parameters. */
const INGEST_MAX_BATCH_MESSAGES = 500;

/**
 * How long the 'queued' marks of webhook requests gather before one UPDATE writes them. A row
 * is 'received' that much longer; the relay leaves rows younger than 2 s alone, and the worker
 * claims 'received' rows as well as 'queued' ones.
 */
const QUEUED_MARK_LINGER_MS = 25;

/** What became of one message of a webhook request. */
type IngestOutcome = 'queued' | 'stored' | 'ignored' | 'duplicate';

/** BullMQ states in which a job will still run (or is running, or a stalled check takes it over). */
const LIVE_JOB_STATES = new Set([
  'active',
  'waiting',
  'delayed',
  'prioritized',
  'waiting-children',
]);

export interface StoreResult {
  inserted: number;
  duplicates: number;
  queued: number;
  ignored: number;
}

/**
 * The durable inbox: what the webhook received is stored first, then queued; delivery
 * receipts update what we sent; failed messages can be listed and replayed.
 */
@Injectable()
export class InboxService implements OnApplicationShutdown {
  private readonly log = new Logger(InboxService.name);
  private readonly ingest = new GroupCommit<InboundMessageInput, IngestOutcome>(
    (messages) => this.writeBatch(messages),
    { maxInFlight: INGEST_BATCHES_IN_FLIGHT, maxBatchItems: INGEST_MAX_BATCH_MESSAGES },
  );

  /**
   * The webhook path's 'queued' marks, one UPDATE at a time, each gathering the marks of
   * QUEUED_MARK_LINGER_MS: nobody waits for them (the job is already in Redis), so under load
   * one UPDATE carries the rows of many requests instead of one per ingest batch (it was a
   * third, then a fifth of the webhook's PostgreSQL statements).
   */
  private readonly queuedMarks = new GroupCommit<string, void>(
    async (wamids) => {
      await this.inbound.markQueued(wamids);
      return wamids.map(() => undefined);
    },
    { maxInFlight: 1, maxBatchItems: 5_000, lingerMs: QUEUED_MARK_LINGER_MS },
  );

  constructor(
    private readonly inbound: InboundMessagesRepository,
    private readonly outbound: OutboundMessagesRepository,
    @InjectQueue(INBOUND_QUEUE) private readonly queue: Queue<InboundJobData>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    const logError = throttledErrorLog((m) => this.log.warn(m));
    this.queue.on('error', (err) => logError('Queue connection error', err));
  }

  /**
   * Closes the queue's Redis connections (BullModule closes it again later; that finds it
   * closed), bounded, or drops them at once with Redis down (common/bullmq-shutdown).
   */
  async onApplicationShutdown(): Promise<void> {
    this.queuedMarks.flush(); // the marks still gathering (a row left 'received' is harmless)
    await shutDownBullClients(this.log, this.config, [
      { what: 'inbound queue', client: this.queue },
    ]);
  }

  /**
   * Durable first: one INSERT … ON CONFLICT (wamid) DO NOTHING, shared by the webhook requests
   * that arrive while earlier ones are being written (a group commit, see GroupCommit), then one
   * addBulk for the rows that statement inserted. Only inserted rows are enqueued, so a
   * redelivery is a no-op. Each caller returns once its rows are committed and their jobs were
   * offered to Redis; if Redis is unavailable the rows stay 'received' and the relay enqueues
   * them later. Which shop a message is for is the worker's business.
   */
  /**
   * Retention: bodies, raw payloads and Graph requests of messages older than `cutoff` are
   * blanked (the rows, their wamids and statuses stay: deduplication and the audit of what was
   * answered when).
   */
  async blankBodiesBefore(cutoff: Date): Promise<{ inbound: number; outbound: number }> {
    const inbound = await this.inbound.blankBodiesBefore(cutoff);
    const outbound = await this.outbound.blankBodiesBefore(cutoff);
    return { inbound, outbound };
  }

  /**
   * A deleted shop: its messages in and out (by tenant and by its business numbers) are
   * deleted, replies first (they point at the inbound rows). Idempotent.
   */
  async eraseTenant(
    tenantId: string,
    phoneNumberIds: string[],
  ): Promise<{ inbound: number; outbound: number }> {
    const outbound = await this.outbound.deleteOfTenant(tenantId, phoneNumberIds);
    const inbound = await this.inbound.deleteOfTenant(tenantId, phoneNumberIds);
    return { inbound, outbound };
  }

  async storeMessages(events: InboundMessageInput[]): Promise<StoreResult> {
    const unique = [...new Map(events.map((e) => [e.wamid, e])).values()];
    if (unique.length === 0) return { inserted: 0, duplicates: 0, queued: 0, ignored: 0 };
    const outcomes = await this.ingest.submit(unique);
    const inserted = outcomes.filter((o) => o !== 'duplicate').length;
    const queued = outcomes.filter((o) => o === 'queued').length;
    const ignored = outcomes.filter((o) => o === 'ignored').length;
    return { inserted, duplicates: unique.length - inserted, queued, ignored };
  }

  /** One batch of the group commit: the messages of every request waiting for it. */
  private async writeBatch(messages: InboundMessageInput[]): Promise<IngestOutcome[]> {
    // Two requests of the same batch can carry the same wamid (Meta redelivering while the
    // first delivery is still being written): the first one owns it.
    const first = new Map<string, number>();
    messages.forEach((m, i) => {
      if (!first.has(m.wamid)) first.set(m.wamid, i);
    });
    const owned = messages.filter((m, i) => first.get(m.wamid) === i);
    const rows = await this.inbound.insertBatch(owned, this.config.INBOUND_MAX_AGE_HOURS);
    const statusOf = new Map(rows.map((r) => [r.wamid, r.status]));
    const toQueue = rows.filter((r) => r.status === 'received').map((r) => r.wamid);
    const queued = (await this.enqueue(toQueue, 'webhook')) > 0;
    return messages.map((m, i) => {
      const status = first.get(m.wamid) === i ? statusOf.get(m.wamid) : undefined;
      const outcome =
        status === undefined ? 'duplicate' : status === 'received' ? 'stored' : 'ignored';
      // inbound_messages_total by (known) type: stored, too old to answer (ignored), duplicate.
      this.metrics.inboundMessages.inc({ type: labelFrom(MESSAGE_TYPES, m.type), outcome });
      return outcome === 'stored' && queued ? 'queued' : outcome;
    });
  }

  /** Adds jobs (jobId = wamid, so BullMQ dedupes too) and marks the rows 'queued'. */
  async enqueue(
    wamids: string[],
    source: 'webhook' | 'relay' | 'replay',
    executor?: SqlExecutor,
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
    const marked =
      source === 'webhook' && !executor
        ? this.queuedMarks.submit(wamids)
        : this.inbound.markQueued(wamids, executor);
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
  async replay(wamid: string): Promise<{ wamid: string; queued: boolean }> {
    if (!(await this.inbound.exists(wamid))) throw new InboundMessageNotFoundError(wamid);
    const job = await this.queue.getJob(jobIdFor(wamid));
    if (job && (await job.isFailed())) {
      await job.retry('failed');
      await this.inbound.setStatus(wamid, 'queued');
      return { wamid, queued: true };
    }
    if (job) await job.remove().catch(() => undefined);
    await this.inbound.reopen(wamid);
    return { wamid, queued: (await this.enqueue([wamid], 'replay')) > 0 };
  }

  /**
   * The reconciler: rows 'queued' or 'processing' for longer than INBOX_STUCK_AFTER_SECONDS
   * whose BullMQ job is gone (Redis lost it) or no longer live (failed or completed while
   * PostgreSQL was down, so the row's final mark was lost) go back to 'received' for the
   * relay, which queues a fresh job. Claiming is idempotent and the outbox keeps a reply
   * from being sent twice. A row that used INBOX_MAX_ATTEMPTS attempts is failed for good,
   * visible in /admin/inbox/failed. Returns how many rows were re-opened and failed.
   */
  async reconcileStuck(limit = 200): Promise<{ reopened: number; failed: number }> {
    const stuckSeconds = this.config.INBOX_STUCK_AFTER_SECONDS;
    const rows = await this.inbound.findStuck(stuckSeconds, limit);
    let reopened = 0;
    let failed = 0;
    for (const row of rows) {
      const job = await this.queue.getJob(jobIdFor(row.wamid));
      const state = job ? await job.getState() : 'missing';
      if (LIVE_JOB_STATES.has(state)) continue;
      if (row.attempts >= this.config.INBOX_MAX_ATTEMPTS) {
        const reason = `stuck after ${row.attempts} attempts (job ${state}): ${job?.failedReason ?? 'no live job'}`;
        if (await this.inbound.failStuck(row.wamid, stuckSeconds, reason)) failed++;
        continue;
      }
      // The old job must go first: BullMQ ignores an add() whose job id still exists.
      if (job) await job.remove();
      if (await this.inbound.reopenStuck(row.wamid, stuckSeconds)) reopened++;
    }
    if (reopened || failed) {
      this.log.warn(
        `Reconciler: ${reopened} stuck message(s) re-opened, ${failed} failed for good`,
      );
    }
    return { reopened, failed };
  }

  listFailed(limit: number): Promise<FailedInboundMessage[]> {
    return this.inbound.listFailed(limit);
  }

  /** Delivery receipts move an outbound message forward, never back; returns rows matched. */
  async applyStatuses(events: DeliveryStatusInput[]): Promise<number> {
    let updated = 0;
    for (const e of events) {
      // 'played' (voice notes) is a read; 'deleted' changes nothing we track.
      if (e.status === 'deleted') continue;
      const status = e.status === 'played' ? 'read' : e.status;
      const n = await this.outbound.applyStatus({ ...e, status });
      updated += n;
      this.metrics.statusUpdates.inc({ status, matched: n > 0 ? 'yes' : 'no' });
    }
    return updated;
  }
}
