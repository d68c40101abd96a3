import { Module } from '@nestjs/common';
import { StoreModule } from '../store.module';
import { PendingActionsRepository } from './repositories/pending-actions.repository';
import { ActionsService } from './services/actions.service';

/** Writes asked for from WhatsApp, pending until the owner confirms them (pending_actions). */
@Module({
  imports: [StoreModule],
  providers: [PendingActionsRepository, ActionsService],
  exports: [ActionsService],
})
export class ActionsModule {}
