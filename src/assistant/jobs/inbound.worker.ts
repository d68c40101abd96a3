import { redisAnswers } from '../../common/redis-answers';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type Job, Worker } from 'bullmq';
import { boundedStep } from '../../common/bounded-step';
import { redisOptionsFromUrl } from '../../common/redis-options';
import { throttledErrorLog } from '../../common/throttled-log';
import { APP_CONFIG, type AppConfig } from '../../config/config.module';
import { INBOUND_QUEUE, type InboundJobData } from '../../inbox/inbound-queue';
import { InboundProcessor } from './inbound.processor';

/**
 * The BullMQ worker of the inbound queue, built from the injected configuration
 * (WORKER_CONCURRENCY, WORKER_LOCK_MS, WORKER_STALLED_INTERVAL_MS). On shutdown it stops taking
 * jobs and lets the active ones finish.
 */
@Injectable()
export class InboundWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(InboundWorker.name);
  private readonly logError = throttledErrorLog((m) => this.log.warn(m));
  private worker?: Worker<InboundJobData, string>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly processor: InboundProcessor,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new Worker<InboundJobData, string>(
      INBOUND_QUEUE,
      (job: Job<InboundJobData>, token?: string) => this.processor.process(job, token),
      {
        connection: redisOptionsFromUrl(this.config.REDIS_URL),
        prefix: this.config.QUEUE_PREFIX,
        concurrency: this.config.WORKER_CONCURRENCY,
        lockDuration: this.config.WORKER_LOCK_MS,
        stalledInterval: this.config.WORKER_STALLED_INTERVAL_MS,
      },
    );
    this.worker.on('failed', (job, err) => {
      if (job) void this.processor.onFailed(job, err);
    });
    this.worker.on('error', (err) => this.logError('Worker connection error', err));
  }

  /**
   * Lets active jobs finish (as long as their own deadlines when Redis answers), bounded by
   * SHUTDOWN_STEP_TIMEOUT_MS when Redis is unreachable: then close() would wait forever.
   */
  async onApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const reachable = await redisAnswers(this.config.REDIS_URL);
    if (!reachable) {
      // Nothing can finish without Redis (a job in progress cannot complete either, and is
      // taken over as stalled later): drop the connections now rather than wait out a bound
      // that several other modules' shutdowns would add to.
      await boundedStep(this.log, 'dropping the worker connections', 200, () =>
        worker.disconnect(),
      );
      return;
    }
    const bound = reachable
      ? Math.max(
          this.config.SHUTDOWN_STEP_TIMEOUT_MS,
          this.config.LLM_DEADLINE_MS + this.config.WHATSAPP_TIMEOUT_MS,
        )
      : this.config.SHUTDOWN_STEP_TIMEOUT_MS;
    await boundedStep(this.log, 'closing the worker', bound, () => worker.close());
    // Still closing (Redis unreachable): force it; jobs left active are taken over as stalled.
    if (!worker.closing || (await isPending(worker.closing))) {
      await boundedStep(this.log, 'forcing the worker closed', 1_000, async () => {
        await worker.disconnect();
      });
    }
  }
}

async function isPending(p: Promise<unknown>): Promise<boolean> {
  const marker = {};
  return (await Promise.race([p.catch(() => undefined), Promise.resolve(marker)])) === marker;
}
