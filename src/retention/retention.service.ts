import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { ConversationsService } from '../conversations/services/conversations.service';
import { InboxService } from '../inbox/services/inbox.service';

/** Chat memory is needed for minutes (the prompt's recent turns); a day is the ceiling. */
export const CONVERSATION_RETENTION_MS = 24 * 3600 * 1000;

export interface RetentionResult {
  inboundBlanked: number;
  outboundBlanked: number;
  turnsDeleted: number;
}

/**
 * One retention pass: message bodies and payloads older than INBOUND_RETENTION_DAYS blanked
 * (by the inbox), conversation turns older than a day deleted (by conversations). Each owner
 * changes its own rows; this only decides the cutoffs. Idempotent.
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
    const turnsDeleted = await this.conversations.deleteBefore(
      new Date(now.getTime() - CONVERSATION_RETENTION_MS),
    );
    const result = {
      inboundBlanked: blanked.inbound,
      outboundBlanked: blanked.outbound,
      turnsDeleted,
    };
    this.log.log({ event: 'retention_done', ...result });
    return result;
  }
}
