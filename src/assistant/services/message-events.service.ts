import { Injectable, Logger } from '@nestjs/common';
import type { IgnoreReason, InboundMessage } from '../../inbox/inbox.types';
import { InboundMessagesService } from '../../inbox/services/inbound-messages.service';
import { TenantsService } from '../../tenants/services/tenants.service';
import type { AnswerContext } from '../answer.types';

/** What to do with a message once its shop and sender are known. */
export type MessageDecision =
  /** Answer it, as it now reads (an edit's new text replaces the original's). */
  | { kind: 'answer'; message: AnswerContext['message'] }
  /** Stored for the record; no reply, no LLM, no tokens. */
  | { kind: 'ignore'; reason: IgnoreReason };

/** What Cloud API reports as `unsupported` that is a change to a message, not content. */
const UNSUPPORTED_CHANGES = new Set(['edit', 'revoke', 'reaction', 'poll_update']);
const NUMBER_CHANGED = new Set(['user_changed_number', 'customer_changed_number']);

interface SystemNotice {
  type?: string;
  wa_id?: string;
  new_wa_id?: string | number;
  user_id?: string;
}

/**
 * Messages that are not questions, and questions that changed after they were sent.
 * - reactions (and removed reactions), deletes, system notices: recorded, never answered; a
 *   number-change notice moves the owner's registration to the new number;
 * - an edit of a question not answered yet is answered with the new text, exactly once: the
 *   inbox decides which of the two messages answers it (the other is superseded); an edit of
 *   an answered question is only recorded;
 * - a question the owner deleted before it was answered is not answered.
 */
@Injectable()
export class MessageEventsService {
  private readonly log = new Logger(MessageEventsService.name);

  constructor(
    private readonly inbound: InboundMessagesService,
    private readonly tenants: TenantsService,
  ) {}

  async decide(ctx: AnswerContext): Promise<MessageDecision> {
    const { message } = ctx;
    switch (message.type) {
      case 'reaction':
      case 'revoke':
        return ignore();
      case 'system':
        await this.applyNotice(ctx);
        return ignore();
      case 'unsupported':
        return UNSUPPORTED_CHANGES.has(unsupportedType(message.payload) ?? '')
          ? ignore()
          : { kind: 'answer', message };
      case 'edit':
        return this.edit(message);
      default:
        return this.latestVersion(message);
    }
  }

  /** An edit answers only if it got to its original before a worker did. */
  private async edit(edit: AnswerContext['message']): Promise<MessageDecision> {
    if (!edit.refWamid || !edit.text?.trim()) return ignore();
    const original = await this.inbound.find(edit.refWamid);
    if (!original) return ignore();
    if (await this.inbound.supersede(original.wamid, 'superseded_by_edit')) {
      this.log.debug(`${edit.wamid} answers in place of ${original.wamid} (edited first)`);
      return { kind: 'answer', message: edit };
    }
    return ignore();
  }

  /** The question as the owner last left it: deleted (not answered) or edited (new text). */
  private async latestVersion(message: AnswerContext['message']): Promise<MessageDecision> {
    const changes = await this.inbound.changesOf(message.wamid);
    if (changes.some((c) => c.type === 'revoke')) return ignore('revoked');
    const edit = changes.find((c: InboundMessage) => c.type === 'edit' && c.text?.trim());
    if (!edit) return { kind: 'answer', message };
    // Taken out of the queue's way: its own job finds nothing to do. If it is already running
    // it finds this message being answered and only records itself.
    await this.inbound.supersede(edit.wamid, 'superseded_by_edit');
    return { kind: 'answer', message: { ...message, text: edit.text } };
  }

  private async applyNotice({ message, sender }: AnswerContext): Promise<void> {
    const notice = (message.payload.system ?? {}) as SystemNotice;
    if (NUMBER_CHANGED.has(notice.type ?? '')) {
      const newWaId = notice.wa_id ?? (notice.new_wa_id ? String(notice.new_wa_id) : undefined);
      if (!newWaId) return;
      const outcome = await this.tenants.changeNumber(sender.user, {
        newWaId,
        newUserId: notice.user_id ?? null,
        inboundWamid: message.wamid,
      });
      if (outcome !== 'moved' && outcome !== 'already_moved') {
        this.log.warn(`Number change in ${message.wamid} not applied: ${outcome}`);
      }
    } else if (notice.type === 'user_changed_user_id' && notice.user_id) {
      await this.tenants.changeUserId(sender.user, notice.user_id, message.wamid);
    }
  }
}

function ignore(reason: IgnoreReason = 'no_reply_needed'): MessageDecision {
  return { kind: 'ignore', reason };
}

function unsupportedType(payload: Record<string, unknown>): string | undefined {
  return (payload.unsupported as { type?: string } | undefined)?.type;
}
