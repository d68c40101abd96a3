import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type Job, Queue, Worker } from 'bullmq';
import { shutDownBullClients } from '../common/bullmq-shutdown';
import { redisOptionsFromUrl } from '../common/redis-options';
import { throttledErrorLog } from '../common/throttled-log';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { DailyCloseService } from './daily-close.service';

export const DAILY_CLOSE_QUEUE = 'daily-close';
/** One scheduler for every worker: upserting it again (each boot) changes nothing. */
export const DAILY_CLOSE_SCAN_SCHEDULER = 'daily-close-scan';

interface SendJobData {
  tenantId: string;
  day: string;
}

/** One job per shop and local day: a second add with the same id is ignored by BullMQ. */
export function sendJobId(tenantId: string, day: string): string {
  return `close_${tenantId}_${day}`;
}

const KEEP_SECONDS = 3 * 24 * 3600;

/**
 * BullMQ side of the daily close: a job scheduler runs a "scan" every
 * DAILY_CLOSE_SCAN_INTERVAL_MS (once per interval however many workers run, BullMQ hands each
 * scheduled job to one of them), the scan adds one "send" job per due shop and day (jobId =
 * shop + day), and the send claims the shop's daily_closes row before calling Meta, so the
 * close goes out once per shop per day even if two scans or two workers race.
 */
@Injectable()
export class DailyCloseScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(DailyCloseScheduler.name);
  private readonly logError = throttledErrorLog((m) => this.log.warn(m));
  private queue?: Queue;
  private worker?: Worker;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly closes: DailyCloseService,
  ) {}

  onApplicationBootstrap(): void {
    const connection = redisOptionsFromUrl(this.config.REDIS_URL);
    const prefix = this.config.QUEUE_PREFIX;
    this.queue = new Queue(DAILY_CLOSE_QUEUE, { connection, prefix });
    this.queue.on('error', (err) => this.logError('Daily close queue error', err));
    this.worker = new Worker(DAILY_CLOSE_QUEUE, (job: Job) => this.process(job), {
      connection,
      prefix,
      concurrency: 2,
    });
    this.worker.on('error', (err) => this.logError('Daily close worker error', err));
    this.worker.on('failed', (job, err) =>
      this.log.warn(`Daily close job ${job?.id ?? '?'} failed: ${err.message}`),
    );
    // Not awaited: a Redis that is down at boot must not stop the worker from starting.
    void this.schedule();
  }

  /** Upserts the scan scheduler; retried every interval until Redis takes it. */
  private async schedule(): Promise<void> {
    try {
      await this.queue?.upsertJobScheduler(
        DAILY_CLOSE_SCAN_SCHEDULER,
        { every: this.config.DAILY_CLOSE_SCAN_INTERVAL_MS },
        { name: 'scan', opts: { removeOnComplete: 50, removeOnFail: 50 } },
      );
    } catch (err) {
      this.logError('Could not schedule the daily close scan', err as Error);
      this.retryTimer = setTimeout(
        () => void this.schedule(),
        this.config.DAILY_CLOSE_SCAN_INTERVAL_MS,
      );
      this.retryTimer.unref();
    }
  }

  private async process(job: Job): Promise<unknown> {
    if (job.name === 'scan') return this.scan(new Date());
    const { tenantId, day } = job.data as SendJobData;
    return this.closes.sendFor(tenantId, day);
  }

  /** One send job per due shop; ids make a repeated scan (or a second worker's) a no-op. */
  async scan(now: Date): Promise<number> {
    const due = await this.closes.dueShops(now);
    for (const { tenantId, day } of due) {
      await this.queue?.add('send', { tenantId, day } satisfies SendJobData, {
        jobId: sendJobId(tenantId, day),
        attempts: 3,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: { age: KEEP_SECONDS },
        removeOnFail: { age: KEEP_SECONDS },
      });
    }
    return due.length;
  }

  /**
   * Stops taking jobs and lets a send in progress finish, bounded (common/bullmq-shutdown); with
   * Redis unreachable the connections are dropped instead (a job left active is taken over as
   * stalled, and its claimed row keeps the close from going out twice).
   */
  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.retryTimer);
    await shutDownBullClients(this.log, this.config, [
      { what: 'daily close worker', client: this.worker },
      { what: 'daily close queue', client: this.queue },
    ]);
  }
}
