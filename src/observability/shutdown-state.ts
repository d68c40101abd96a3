import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.module';

/**
 * "This process is going away." Set by the first shutdown hook Nest runs (module destroy),
 * before any connection is closed, so /health/ready answers 503 from the first moment of a
 * SIGTERM. SHUTDOWN_DELAY_MS then keeps the server up while the load balancer (the Service's
 * endpoints) notices and stops sending traffic; only after that are connections closed.
 */
@Injectable()
export class ShutdownState implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly log = new Logger(ShutdownState.name);
  private stopping = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get shuttingDown(): boolean {
    return this.stopping;
  }

  onModuleDestroy(): void {
    this.stopping = true;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const delay = this.config.SHUTDOWN_DELAY_MS;
    if (delay > 0) {
      this.log.log(`Shutting down: not ready; draining for ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
