import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
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
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly ledger: TokenLedgerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.BILLING_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass; errors are logged (the next tick tries again), never thrown. */
  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = this.ledger.releaseExpired().catch((err: unknown) => {
      this.log.error(`Reservation sweep failed: ${(err as Error).message}`);
      return 0;
    });
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }
}
