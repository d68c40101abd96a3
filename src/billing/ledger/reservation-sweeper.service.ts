import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { PeriodicPass } from '../../common/periodic-pass';
import { APP_CONFIG, type AppConfig } from '../../config/config.module';
import { TokenLedgerService } from './token-ledger.service';

/**
 * Gives back tokens held by reservations whose job died before settling them (crash, kill,
 * deploy). Runs every BILLING_SWEEP_INTERVAL_MS; the timer is unref'd so it never keeps the
 * process alive, and one sweep at a time (a slow one is not stacked on).
 */
@Injectable()
export class ReservationSweeperService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(ReservationSweeperService.name);
  private readonly passes: PeriodicPass<number>;

  constructor(
    private readonly ledger: TokenLedgerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.passes = new PeriodicPass<number>({
      intervalMs: this.config.BILLING_SWEEP_INTERVAL_MS,
      pass: () => this.ledger.releaseExpired(),
      onError: (err) => {
        this.log.error(`Reservation sweep failed: ${err.message}`);
        return 0;
      },
    });
  }

  onApplicationBootstrap(): void {
    this.passes.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.passes.stop();
  }

  /** One pass; errors are logged (the next tick tries again), never thrown. */
  sweep(): Promise<number> {
    return this.passes.run();
  }
}
