import { Module } from '@nestjs/common';
import { InboxModule } from '../inbox/inbox.module';
import { SignatureGuard } from './signature.guard';
import { WebhookController } from './webhook.controller';
import { WebhookService } from './webhook.service';

/** The public webhook Meta calls (API role only). */
@Module({
  imports: [InboxModule],
  controllers: [WebhookController],
  providers: [SignatureGuard, WebhookService],
})
export class WebhookModule {}
