import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { InboxModule } from '../inbox/inbox.module';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { QueueMetricsService } from './queue-metrics.service';
import { ShutdownState } from './shutdown-state';

/** GET /health/live, /health/ready and GET /metrics, and the sampled queue gauges. */
@Module({
  imports: [TerminusModule, InboxModule],
  controllers: [HealthController, MetricsController],
  providers: [QueueMetricsService, ShutdownState],
})
export class ObservabilityModule {}
