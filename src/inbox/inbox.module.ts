import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InboundMessage } from './inbound-message.entity';
import { INBOUND_QUEUE } from './inbound-queue';
import { InboxRelayService } from './inbox-relay.service';
import { InboxService } from './inbox.service';
import { OutboundMessage } from './outbound-message.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([InboundMessage, OutboundMessage]),
    BullModule.registerQueue({ name: INBOUND_QUEUE }),
  ],
  providers: [InboxService, InboxRelayService],
  exports: [InboxService, InboxRelayService, BullModule, TypeOrmModule],
})
export class InboxModule {}
