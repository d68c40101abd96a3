import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import type { InboundMessage } from '../inbox/inbound-message.entity';
import { throttledErrorLog } from '../common/throttled-log';
import { parseEnv } from '../config/env.schema';
import { INBOUND_QUEUE, type InboundJobData } from '../inbox/inbound-queue';
import { Metrics } from '../observability/metrics';
import { TenantsService } from '../tenants/tenants.service';
import { GraphApiClient } from '../whatsapp/graph-api.client';
import { GraphApiError } from '../whatsapp/graph-api.errors';
import type { Answerer } from './answer.types';
import { ChatOrder } from './chat-order';
import { ReplySender } from './reply-sender.service';

export const ANSWERER = Symbol('ANSWERER');
export const WORKER_CONCURRENCY = 8;

/**
 * Takes each stored inbound message off the queue, answers it and sends the reply once.
 * Safe to run again for the same message: a processed message is skipped, a prepared reply
 * is sent instead of computing (and charging) a new one.
 */
/**
 * Read when the worker is created (not when this file is imported), so each app instance
 * takes its own configuration.
 */
const workerOptions = {
  concurrency: WORKER_CONCURRENCY,
  get lockDuration() {
    return parseEnv(process.env).WORKER_LOCK_MS;
  },
  get stalledInterval() {
    return parseEnv(process.env).WORKER_STALLED_INTERVAL_MS;
  },
};

@Processor(INBOUND_QUEUE, workerOptions)
export class InboundProcessor extends WorkerHost {
  private readonly log = new Logger(InboundProcessor.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tenants: TenantsService,
    private readonly graph: GraphApiClient,
    private readonly replies: ReplySender,
    @Inject(ANSWERER) private readonly answerer: Answerer,
    private readonly metrics: Metrics,
    private readonly chatOrder: ChatOrder,
  ) {
    super();
  }

  async process(job: Job<InboundJobData>, token?: string): Promise<string> {
    const started = process.hrtime.bigint();
    if (await this.chatOrder.mustWait(job.data.wamid, job.data.deferrals ?? 0)) {
      // An earlier message of the same chat is still being answered: come back shortly.
      await job.updateData({ ...job.data, deferrals: (job.data.deferrals ?? 0) + 1 });
      await job.moveToDelayed(Date.now() + this.chatOrder.retryDelayMs(), token);
      this.metrics.jobs.inc({ outcome: 'deferred' });
      throw new DelayedError();
    }
    const outcome = await this.handle(job.data.wamid);
    this.metrics.jobs.inc({ outcome });
    this.metrics.jobDuration.observe({ outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    return outcome;
  }

  private async handle(wamid: string): Promise<string> {
    const message = await this.claim(wamid);
    if (!message) return 'skipped';

    const sender = await this.tenants.resolveSender(message.fromWaId);
    if (!sender || sender.tenant.status !== 'active') {
      await this.finish(wamid, 'ignored', sender ? 'tenant_suspended' : 'unknown_sender');
      return 'ignored';
    }

    if (message.attempts === 1) {
      // Blue ticks and "typing…" while the answer is prepared; not worth failing the job over.
      await this.graph.markRead(message.phoneNumberId, message.wamid).catch((err: Error) => {
        this.log.debug(`mark read failed for ${wamid}: ${err.message}`);
      });
    }

    // A retried job finds what it prepared before (and paid for): it only sends what is left.
    const prepared = await this.replies.findAll(wamid);
    const rows = prepared.length
      ? prepared
      : await this.answerer.answer({ message: { ...message, tenantId: sender.tenant.id }, sender });
    try {
      for (const row of rows) await this.replies.deliver(row);
    } catch (err) {
      if (err instanceof GraphApiError && !err.retryable) {
        await this.finish(wamid, 'failed', null, `${err.kind}: ${err.message}`);
        throw new UnrecoverableError(`${err.kind}: ${err.message}`);
      }
      throw err;
    }
    await this.finish(wamid, 'processed');
    return 'answered';
  }

  /** Marks the message as being processed; null if it is gone or already done. */
  private async claim(wamid: string): Promise<InboundMessage | null> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affectedCount].
    const [rows]: [Record<string, unknown>[], number] = await this.db.query(
      `UPDATE inbound_messages SET status = 'processing', attempts = attempts + 1, updated_at = now()
        WHERE wamid = $1 AND status IN ('received', 'queued', 'processing', 'failed')
        RETURNING *`,
      [wamid],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: String(r.id),
      wamid: r.wamid as string,
      phoneNumberId: r.phone_number_id as string,
      fromWaId: r.from_wa_id as string,
      contactName: r.contact_name as string | null,
      tenantId: r.tenant_id as string | null,
      type: r.type as string,
      text: r.text as string | null,
      payload: r.payload as Record<string, unknown>,
      sentAt: r.sent_at as Date,
      receivedAt: r.received_at as Date,
      status: r.status as InboundMessage['status'],
      ignoreReason: null,
      attempts: r.attempts as number,
      lastError: r.last_error as string | null,
      processedAt: null,
      updatedAt: r.updated_at as Date,
    };
  }

  private async finish(
    wamid: string,
    status: 'processed' | 'ignored' | 'failed',
    ignoreReason: string | null = null,
    error: string | null = null,
  ): Promise<void> {
    await this.db.query(
      `UPDATE inbound_messages SET status = $2, ignore_reason = COALESCE($3, ignore_reason),
          last_error = COALESCE($4, last_error),
          processed_at = CASE WHEN $2 = 'processed' THEN now() ELSE processed_at END,
          updated_at = now()
        WHERE wamid = $1`,
      [wamid, status, ignoreReason, error?.slice(0, 1000) ?? null],
    );
  }

  private readonly logWorkerError = throttledErrorLog((m) => this.log.warn(m));

  @OnWorkerEvent('error')
  onError(err: Error): void {
    this.logWorkerError('Worker connection error', err);
  }

  /** A job out of retries stays in BullMQ's failed set (replayable) and is marked failed here. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<InboundJobData> | undefined, err: Error): Promise<void> {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || err instanceof UnrecoverableError;
    this.log.warn(
      `Job for ${job.data.wamid} failed (attempt ${job.attemptsMade}${final ? ', final' : ''}): ${err.message}`,
    );
    if (final) {
      this.metrics.jobs.inc({ outcome: 'failed' });
      await this.finish(job.data.wamid, 'failed', null, err.message).catch(() => undefined);
    } else {
      await this.db
        .query(`UPDATE inbound_messages SET last_error = $2, updated_at = now() WHERE wamid = $1`, [
          job.data.wamid,
          err.message.slice(0, 1000),
        ])
        .catch(() => undefined);
    }
  }
}
