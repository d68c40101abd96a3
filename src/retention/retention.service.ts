import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { ConversationsService } from '../conversations/services/conversations.service';
import { InboxService } from '../inbox/services/inbox.service';

/** Chat memory is needed for minutes (the prompt's recent turns); a day is the ceiling. */
export const CONVERSATION_RETENTION_MS = 24 * 3600 * 1000;

export interface RetentionResult {
  inboundBlanked: number;
  outboundBlanked: number;
  turnsBlanked: number;
  turnsDeleted: number;
}

/**
 * One retention pass: message bodies and payloads older than INBOUND_RETENTION_DAYS blanked
 * (by the inbox); the words of conversation turns older than a day blanked, and the turns
 * themselves deleted with the messages' retention (by conversations). A turn's row without
 * its words — chat, time, intent, message id — is what cost per conversation and the A/B
 * report count, so deleting it after a day would make every report older than a day wrong.
 * Each owner changes its own rows; this only decides the cutoffs. Idempotent.
 */
@Injectable()
export class RetentionService {
  private readonly log = new Logger(RetentionService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly inbox: InboxService,
    private readonly conversations: ConversationsService,
  ) {}

  async runOnce(now = new Date()): Promise<RetentionResult> {
    const messagesCutoff = new Date(
      now.getTime() - this.config.INBOUND_RETENTION_DAYS * 24 * 3600 * 1000,
    );
    const blanked = await this.inbox.blankBodiesBefore(messagesCutoff);
    const turnsBlanked = await this.conversations.blankBefore(
      new Date(now.getTime() - CONVERSATION_RETENTION_MS),
    );
    const turnsDeleted = await this.conversations.deleteBefore(messagesCutoff);
    const result = {
      inboundBlanked: blanked.inbound,
      outboundBlanked: blanked.outbound,
      turnsBlanked,
      turnsDeleted,
    };
    this.log.log({ event: 'retention_done', ...result });
    return result;
  }
}
