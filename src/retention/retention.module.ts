import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module';
import { InboxModule } from '../inbox/inbox.module';
import { RetentionService } from './retention.service';
import { MAINTENANCE_QUEUE, RetentionWorker } from './retention.worker';

/** Retention of message bodies and chat memory (a scheduled pass run by the workers). */
@Module({
  imports: [
    BullModule.registerQueue({ name: MAINTENANCE_QUEUE }),
    InboxModule,
    ConversationsModule,
  ],
  providers: [RetentionService, RetentionWorker],
  exports: [RetentionService],
})
export class RetentionModule {}
