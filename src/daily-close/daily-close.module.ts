import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { InboxModule } from '../inbox/inbox.module';
import { StoreModule } from '../store/store.module';
import { TenantsModule } from '../tenants/tenants.module';
import { WhatsappModule } from '../whatsapp/whatsapp.module';
import { DailyCloseScheduler } from './daily-close.scheduler';
import { DailyCloseService } from './daily-close.service';
import { DailyClosesRepository } from './daily-closes.repository';

/** The daily close: its schedule, its send, and its table (daily_closes). Worker side. */
@Module({
  imports: [TenantsModule, StoreModule, BillingModule, InboxModule, WhatsappModule],
  providers: [DailyClosesRepository, DailyCloseService, DailyCloseScheduler],
  exports: [DailyCloseService],
})
export class DailyCloseModule {}
