import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type Job, Worker } from 'bullmq';
import { shutDownBullClients } from '../../common/bullmq-shutdown';
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
   * Lets an active job finish (as long as its own deadlines: the LLM and the Graph send) when
   * Redis answers; drops the connections at once when it does not (common/bullmq-shutdown).
   */
  async onApplicationShutdown(): Promise<void> {
    await shutDownBullClients(this.log, this.config, [
      {
        what: 'inbound worker',
        client: this.worker,
        closeWithinMs: Math.max(
          this.config.SHUTDOWN_STEP_TIMEOUT_MS,
          this.config.LLM_DEADLINE_MS + this.config.WHATSAPP_TIMEOUT_MS,
        ),
      },
    ]);
  }
}
