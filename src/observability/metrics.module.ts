import { Global, Module } from '@nestjs/common';
import { MetricsService } from './metrics.service';

/** Metrics are global so every feature module can count without importing this module. */
@Global()
@Module({
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
