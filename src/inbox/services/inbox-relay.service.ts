import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PeriodicPass } from '../../common/periodic-pass';
import { APP_CONFIG, type AppConfig } from '../../config/config.module';
import { MetricsService } from '../../observability/metrics.service';
import { InboundMessagesRepository } from '../repositories/inbound-messages.repository';
import { InboxService } from './inbox.service';

/** Rows younger than this are left to the webhook request that is enqueueing them. */
const GRACE_SECONDS = 2;
const BATCH = 200;

/**
 * The safety net for "durable first": every few seconds (and at boot) it enqueues inbound
 * messages that were stored but never reached the queue, e.g. because Redis was down.
 * SKIP LOCKED lets several instances run it without handing out the same rows.
 */
@Injectable()
export class InboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(InboxRelayService.name);
  private readonly passes: PeriodicPass<number>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly inbound: InboundMessagesRepository,
    private readonly inbox: InboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    this.passes = new PeriodicPass<number>({
      intervalMs: this.config.RELAY_INTERVAL_MS,
      pass: () => this.relayOnce(),
      onError: (err) => {
        this.log.warn(`Relay pass failed: ${err.message}`);
        return 0;
      },
      runAtStart: true,
    });
  }

  onApplicationBootstrap(): void {
    this.passes.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.passes.stopWithin(this.log, 'the relay pass', this.config.SHUTDOWN_STEP_TIMEOUT_MS);
  }

  /** One pass; never overlaps itself. Returns how many messages it enqueued. */
  tick(): Promise<number> {
    return this.passes.run();
  }

  private async relayOnce(): Promise<number> {
    // Stuck rows first, so the ones re-opened are queued by this same pass.
    await this.inbox
      .reconcileStuck()
      .catch((err: Error) => this.log.warn(`Reconciler pass failed: ${err.message}`));
    let total = 0;
    for (;;) {
      const n = await this.db.transaction(async (tx) => {
        const wamids = await this.inbound.lockUnqueued(tx, GRACE_SECONDS, BATCH);
        if (wamids.length === 0) return 0;
        // Marked queued inside this transaction: the rows are locked by it.
        return this.inbox.enqueue(wamids, 'relay', tx);
      });
      total += n;
      if (n < BATCH) break;
    }
    if (total > 0) {
      this.metrics.relayRequeued.inc(total);
      this.log.log(`Relay enqueued ${total} stored message(s)`);
    }
    return total;
  }
}
