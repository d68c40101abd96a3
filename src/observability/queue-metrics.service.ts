import { InjectQueue } from '@nestjs/bullmq';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Queue } from 'bullmq';
import { PeriodicPass } from '../common/periodic-pass';
import { throttledErrorLog } from '../common/throttled-log';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { INBOUND_QUEUE } from '../inbox/inbound-queue';
import { MetricsService } from './metrics.service';

/** The states sampled: what waits, what runs, what waits for a retry, what gave up. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;

/**
 * Samples the inbound queue's job counts every QUEUE_METRICS_INTERVAL_MS into the
 * `queue_jobs` gauge: one Redis round trip (a MULTI of LLEN/ZCARD) per interval per process,
 * whatever the number of Prometheus scrapes. A scrape never touches Redis, so it stays fast
 * while Redis is down; `queue_metrics_last_sample_timestamp_seconds` shows the values are stale.
 */
@Injectable()
export class QueueMetricsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(QueueMetricsService.name);
  private readonly logError = throttledErrorLog((m) => this.log.warn(m));
  private readonly passes: PeriodicPass<void>;

  constructor(
    @InjectQueue(INBOUND_QUEUE) private readonly queue: Queue,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.passes = new PeriodicPass<void>({
      intervalMs: this.config.QUEUE_METRICS_INTERVAL_MS,
      pass: () => this.sampleOnce(),
      onError: (err) => this.logError('Queue metrics sample failed', err),
      runAtStart: true,
    });
  }

  onApplicationBootstrap(): void {
    this.passes.start();
  }

  onApplicationShutdown(): void {
    // Not waited for: with Redis down a sample waits for the reconnect, and shutdown must not.
    void this.passes.stop();
  }

  /** One sample; never overlaps itself (a slow Redis does not pile up requests). */
  sample(): Promise<void> {
    return this.passes.run();
  }

  private async sampleOnce(): Promise<void> {
    const counts = await this.queue.getJobCounts(...QUEUE_STATES);
    for (const state of QUEUE_STATES) {
      this.metrics.queueJobs.set({ queue: INBOUND_QUEUE, state }, counts[state] ?? 0);
    }
    this.metrics.queueSampleAge.set({ queue: INBOUND_QUEUE }, Date.now() / 1000);
  }
}
