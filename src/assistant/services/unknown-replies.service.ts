import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PeriodicPass } from '../../common/periodic-pass';
import { APP_CONFIG, type AppConfig } from '../../config/config.module';
import { OutboxService } from '../../inbox/services/outbox.service';
import { MetricsService } from '../../observability/metrics.service';
import { ReplySenderService } from './reply-sender.service';

/**
 * Replies a worker left 'unknown' (it died during the Graph send, so nobody knows whether Meta
 * got them). A status webhook for the reply (found by its wamid, or by the row id we send as
 * biz_opaque_callback_data when the wamid was never stored) moves it to sent/delivered/read:
 * done, nothing to do. One still 'unknown' after UNKNOWN_REPLY_RESEND_AFTER_SECONDS is sent
 * again, ONCE: a conditional UPDATE claims it (resend_claimed_at), so two workers cannot both
 * send it, and a re-send that crashes too stays 'unknown' for good.
 */
@Injectable()
export class UnknownRepliesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(UnknownRepliesService.name);
  private readonly passes: PeriodicPass<number>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly sender: ReplySenderService,
    private readonly metrics: MetricsService,
  ) {
    this.passes = new PeriodicPass<number>({
      intervalMs: this.config.UNKNOWN_REPLY_CHECK_INTERVAL_MS,
      pass: () => this.resolveOnce(),
      onError: (err) => {
        this.log.warn(`Unknown-reply pass failed: ${err.message}`);
        return 0;
      },
    });
  }

  onApplicationBootstrap(): void {
    this.passes.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.passes.stopWithin(
      this.log,
      'the unknown-reply pass',
      this.config.SHUTDOWN_STEP_TIMEOUT_MS,
    );
  }

  /** One pass; never overlaps itself in this process. Returns how many replies it re-sent. */
  tick(): Promise<number> {
    return this.passes.run();
  }

  /** Safe to run in several processes at once: each row is claimed by one of them. */
  async resolveOnce(): Promise<number> {
    const delay = this.config.UNKNOWN_REPLY_RESEND_AFTER_SECONDS;
    // A re-send still 'sending' long after its claim died mid-call too: never a third try.
    const given = await this.outbox.markStaleResendsUnknown(Math.max(delay, 60));
    if (given > 0) this.metrics.unknownReplies.inc({ outcome: 'gave_up' }, given);
    const claimed = await this.outbox.claimUnknownForResend(delay);
    let sent = 0;
    for (const row of claimed) {
      try {
        await this.sender.send(row);
        sent++;
        this.metrics.unknownReplies.inc({ outcome: 'resent' });
      } catch (err) {
        // Marked 'failed' with Meta's error by the sender; not retried from here.
        this.metrics.unknownReplies.inc({ outcome: 'resend_failed' });
        this.log.warn(`Re-send of unknown reply ${row.id} failed: ${(err as Error).message}`);
      }
    }
    return sent;
  }
}
