import { Injectable, Logger } from '@nestjs/common';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { isInfrastructureError } from '../../common/infrastructure-error';
import type { InboundJobData } from '../../inbox/inbound-queue';
import { TokenLedgerService } from '../../billing/ledger/token-ledger.service';
import { InboundMessagesService } from '../../inbox/services/inbound-messages.service';
import { OutboxService } from '../../inbox/services/outbox.service';
import { withCorrelation } from '../../observability/log-context';
import { MetricsService } from '../../observability/metrics.service';
import { GraphApiError } from '../../whatsapp/graph-api.errors';
import { AnswerPipelineService } from '../services/answer-pipeline.service';

/**
 * One queued inbound message: wait for the chat's earlier messages, claim it, let the answer
 * pipeline answer it, record how it ended.
 */
@Injectable()
export class InboundProcessor {
  private readonly log = new Logger(InboundProcessor.name);

  constructor(
    private readonly inbound: InboundMessagesService,
    private readonly pipeline: AnswerPipelineService,
    private readonly metrics: MetricsService,
    private readonly outbox: OutboxService,
    private readonly ledger: TokenLedgerService,
  ) {}

  process(job: Job<InboundJobData>, token?: string): Promise<string> {
    // Every line written while this message is answered (LLM calls, the reply) carries its wamid.
    return withCorrelation(job.data.wamid, () => this.processJob(job, token));
  }

  private async processJob(job: Job<InboundJobData>, token?: string): Promise<string> {
    const started = process.hrtime.bigint();
    const { wamid, deferrals = 0 } = job.data;
    if (await this.inbound.mustWaitForEarlier(wamid, deferrals)) {
      await job.updateData({ ...job.data, deferrals: deferrals + 1 });
      await job.moveToDelayed(Date.now() + this.inbound.retryDelayMs(), token);
      this.metrics.jobs.inc({ outcome: 'deferred' });
      throw new DelayedError();
    }
    const outcome = await this.handle(wamid);
    this.metrics.jobs.inc({ outcome });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.metrics.jobDuration.observe({ outcome }, seconds);
    this.log.log({ event: 'job_done', outcome, durationMs: Math.round(seconds * 1000) });
    return outcome;
  }

  /** A job out of retries stays in BullMQ's failed set (replayable) and is marked failed here. */
  async onFailed(job: Job<InboundJobData>, err: Error): Promise<void> {
    const outOfAttempts = job.attemptsMade >= (job.opts.attempts ?? 1);
    // PostgreSQL or Redis down: the row stays 'processing' and the reconciler re-queues it
    // once they are back, up to INBOX_MAX_ATTEMPTS in all (a longer budget than the job's).
    const infrastructure = outOfAttempts && isInfrastructureError(err);
    const final = (outOfAttempts && !infrastructure) || err instanceof UnrecoverableError;
    this.log.warn(
      `Job for ${job.data.wamid} failed (attempt ${job.attemptsMade}${final ? ', final' : infrastructure ? ', left to the reconciler' : ''}): ${err.message}`,
    );
    if (final) this.metrics.jobs.inc({ outcome: 'failed' });
    const recorded = final
      ? this.inbound.finish(job.data.wamid, 'failed', { error: err.message })
      : this.inbound.recordAttemptError(job.data.wamid, err.message);
    await recorded.catch(() => undefined);
    if (final) await this.refundIfUndelivered(job.data.wamid).catch(() => undefined);
  }

  /**
   * A message failed for good with its reply prepared (and paid for) but never accepted by
   * Meta ('pending' or 'failed': a Graph API refusing it to the end): the shop gets its tokens
   * back, one 'refund' ledger entry. If an engineer replays it from /admin/inbox/failed and it
   * is delivered then, it is NOT charged again: the platform absorbs that answer (the shop
   * waited, and a second debit for one answer would be harder to explain than a free one).
   */
  private async refundIfUndelivered(wamid: string): Promise<void> {
    const reply = (await this.outbox.findPrepared(wamid)).find((r) => r.purpose === 'reply');
    if (!reply?.tenantId || (reply.status !== 'failed' && reply.status !== 'pending')) return;
    const tokens = await this.ledger.refundUndelivered(reply.tenantId, wamid);
    if (tokens > 0) {
      this.metrics.refundedTokens.inc(tokens);
      this.log.warn(`Refunded ${tokens} tokens for the undelivered reply to ${wamid}`);
    }
  }

  private async handle(wamid: string): Promise<string> {
    const message = await this.inbound.claim(wamid);
    if (!message) return 'skipped';
    try {
      const result = await this.pipeline.run(message);
      await this.inbound.finish(wamid, result.status, result);
      return result.status === 'processed' ? 'answered' : 'ignored';
    } catch (err) {
      if (err instanceof GraphApiError && !err.retryable) {
        // Meta refused the reply for good (blocked number, bad request): retrying cannot help.
        await this.inbound.finish(wamid, 'failed', { error: `${err.kind}: ${err.message}` });
        throw new UnrecoverableError(`${err.kind}: ${err.message}`);
      }
      throw err;
    }
  }
}
