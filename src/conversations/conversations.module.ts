import { Module } from '@nestjs/common';
import { ConversationTurnsRepository } from './repositories/conversation-turns.repository';
import { ConversationsService } from './services/conversations.service';

/** Chat memory: the last turns of each conversation (owner of conversation_turns). */
@Module({
  providers: [ConversationTurnsRepository, ConversationsService],
  exports: [ConversationsService],
})
export class ConversationsModule {}
