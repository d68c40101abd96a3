import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { type Queue, Worker } from 'bullmq';
import { shutDownBullClients } from '../common/bullmq-shutdown';
import { redisOptionsFromUrl } from '../common/redis-options';
import { throttledErrorLog } from '../common/throttled-log';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { RetentionService } from './retention.service';

export const MAINTENANCE_QUEUE = 'maintenance';
/** The job scheduler's id: one schedule in Redis however many workers upsert it. */
export const RETENTION_SCHEDULER_ID = 'retention';

/**
 * The retention pass as a BullMQ job scheduler (repeatable job): every worker process upserts
 * the same scheduler id, so Redis holds one schedule and each run is one job, taken by one
 * worker. Kept jobs are bounded (the last 10 completed, failed for 7 days / 50).
 */
@Injectable()
export class RetentionWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(RetentionWorker.name);
  private readonly logError = throttledErrorLog((m) => this.log.warn(m));
  private worker?: Worker;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(MAINTENANCE_QUEUE) private readonly queue: Queue,
    private readonly retention: RetentionService,
  ) {
    this.queue.on('error', (err) => this.logError('Maintenance queue error', err));
  }

  onApplicationBootstrap(): void {
    this.worker = new Worker(MAINTENANCE_QUEUE, () => this.retention.runOnce(), {
      connection: redisOptionsFromUrl(this.config.REDIS_URL),
      prefix: this.config.QUEUE_PREFIX,
      concurrency: 1,
    });
    this.worker.on('error', (err) => this.logError('Maintenance worker error', err));
    this.worker.on('failed', (_job, err) => this.log.warn(`Retention pass failed: ${err.message}`));
    // Not awaited: with Redis down at boot the call waits for it, and the app must start anyway.
    void this.schedule();
  }

  private async schedule(): Promise<void> {
    try {
      await this.queue.upsertJobScheduler(
        RETENTION_SCHEDULER_ID,
        // The first pass one interval from now, not at boot: every process start (each deploy,
        // each scaled worker, each test app) would otherwise run a pass over the whole database
        // at once, and a pass still running when a short-lived process stops outlives it.
        {
          every: this.config.RETENTION_INTERVAL_MS,
          startDate: new Date(Date.now() + this.config.RETENTION_INTERVAL_MS),
        },
        {
          name: 'retention',
          opts: {
            removeOnComplete: { count: 10 },
            removeOnFail: { age: 7 * 24 * 3600, count: 50 },
          },
        },
      );
    } catch (err) {
      // Redis down at boot: the next process start (or deploy) schedules it; nothing is lost
      // but time, and the pass is idempotent.
      this.logError('Could not schedule the retention pass', err as Error);
    }
  }

  /** The worker and the queue closed side by side (common/bullmq-shutdown). */
  async onApplicationShutdown(): Promise<void> {
    await shutDownBullClients(this.log, this.config, [
      { what: 'maintenance worker', client: this.worker },
      { what: 'maintenance queue', client: this.queue },
    ]);
  }
}
