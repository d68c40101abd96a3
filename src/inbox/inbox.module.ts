import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { INBOUND_QUEUE } from './inbound-queue';
import { InboundMessagesRepository } from './repositories/inbound-messages.repository';
import { OutboundMessagesRepository } from './repositories/outbound-messages.repository';
import { InboundMessagesService } from './services/inbound-messages.service';
import { InboxRelayService } from './services/inbox-relay.service';
import { InboxService } from './services/inbox.service';
import { OutboxService } from './services/outbox.service';

/** The durable inbox and outbox (owner of inbound_messages and outbound_messages) and the queue. */
@Module({
  imports: [BullModule.registerQueue({ name: INBOUND_QUEUE })],
  providers: [
    InboundMessagesRepository,
    OutboundMessagesRepository,
    InboxService,
    InboundMessagesService,
    OutboxService,
    InboxRelayService,
  ],
  exports: [InboxService, InboundMessagesService, OutboxService, BullModule],
})
export class InboxModule {}
