import { Module } from '@nestjs/common';
import { BillingService } from './billing.service';
import { PurchasesService } from './purchases.service';
import { ReservationSweeper } from './reservation-sweeper.service';
import { UsageReportService } from './usage-report.service';

/** Token packages, purchases, the ledger, balances and usage (plain SQL on the billing tables). */
@Module({
  providers: [BillingService, PurchasesService, UsageReportService, ReservationSweeper],
  exports: [BillingService, PurchasesService, UsageReportService],
})
export class BillingModule {}
