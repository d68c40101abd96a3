import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module';
import { InboxModule } from '../inbox/inbox.module';
import { ReservationSweeperService } from './ledger/reservation-sweeper.service';
import { TokenLedgerRepository } from './ledger/token-ledger.repository';
import { TokenLedgerService } from './ledger/token-ledger.service';
import { PackagesRepository } from './packages/packages.repository';
import { PackagesService } from './packages/packages.service';
import { UsageReportRepository } from './usage/usage-report.repository';
import { UsageReportService } from './usage/usage-report.service';
import { ExperimentReportService } from './usage/experiment-report.service';

/**
 * Prepaid tokens, in two parts: the token ledger (reserve, settle, release, sweep, usage) and
 * the packages that are sold (catalogue, purchases, requests). Returns data, never messages.
 */
@Module({
  imports: [ConversationsModule, InboxModule],
  providers: [
    TokenLedgerRepository,
    TokenLedgerService,
    ReservationSweeperService,
    PackagesRepository,
    PackagesService,
    UsageReportRepository,
    UsageReportService,
    ExperimentReportService,
  ],
  exports: [TokenLedgerService, PackagesService, UsageReportService, ExperimentReportService],
})
export class BillingModule {}
