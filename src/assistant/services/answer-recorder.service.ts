import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TokenLedgerService } from '../../billing/ledger/token-ledger.service';
import { ConversationsService } from '../../conversations/services/conversations.service';
import type { OutboundMessage, OutboundPurpose } from '../../inbox/inbox.types';
import { OutboxService } from '../../inbox/services/outbox.service';
import { MetricsService } from '../../observability/metrics.service';
import type { SqlExecutor } from '../../database/sql-executor';
import { buildSendBody } from '../../whatsapp/graph-api.client';
import { splitText } from '../../whatsapp/text-limits';
import type { OutgoingMessage } from '../../whatsapp/graph-api.types';
import type { AnswerContext, PreparedAnswer } from '../answer.types';
import { lowBalanceText } from '../replies/billing-replies';

/**
 * Commits an answer: its charge, the conversation turn and the reply to send (plus the
 * low-balance notice it triggered) in ONE transaction, each written by its owner. A retried
 * job finds the reply prepared and only sends it: it never computes or charges again.
 */
@Injectable()
export class AnswerRecorderService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly ledger: TokenLedgerService,
    private readonly conversations: ConversationsService,
    private readonly outbox: OutboxService,
    private readonly metrics: MetricsService,
  ) {}

  async record(ctx: AnswerContext, answer: PreparedAnswer): Promise<OutboundMessage[]> {
    const rows = await this.commit(ctx, answer);
    // Counted once the charge is committed: a rolled-back attempt is counted by its retry.
    const absorbed = answer.uncharged.reduce((sum, r) => sum + r.usage.totalTokens, 0);
    if (absorbed > 0) this.metrics.tokensAbsorbed.inc({ reason: 'fallback' }, absorbed);
    const charged = answer.charged.reduce((sum, r) => sum + r.usage.totalTokens, 0);
    this.metrics.answers.inc({ level: answer.level });
    this.metrics.answerTokens.observe({ level: answer.level }, charged + absorbed);
    if (rows.some((r) => r.purpose === 'notice')) this.metrics.lowBalanceNotices.inc();
    return rows;
  }

  private commit(ctx: AnswerContext, answer: PreparedAnswer): Promise<OutboundMessage[]> {
    const { message, tenant } = ctx;
    return this.db.transaction(async (tx) => {
      const { lowBalance } = await this.ledger.commitCharge(tx, {
        tenantId: tenant.id,
        inboundWamid: message.wamid,
        operation: 'chat',
        fallbackLevel: answer.level,
        charged: answer.charged,
        uncharged: answer.uncharged,
        cacheHit: answer.cacheHit,
      });
      await this.conversations.append(tx, {
        tenantId: tenant.id,
        waId: ctx.sender.user.waId,
        inboundWamid: message.wamid,
        intent: answer.intent,
        userText: message.text?.trim() ?? `[${message.type}]`,
        assistantText: answer.message.body,
      });
      // A text longer than WhatsApp takes goes out in parts, in order: never refused.
      const parts = answer.message.type === 'text' ? splitText(answer.message.body) : [null];
      const rows: OutboundMessage[] = [];
      for (const [i, part] of parts.entries()) {
        const outgoing: OutgoingMessage =
          part === null ? answer.message : { type: 'text', body: part };
        const purpose: OutboundPurpose = i === 0 ? 'reply' : `reply-${i + 1}`;
        rows.push(
          await this.prepare(tx, ctx, outgoing, purpose, answer.level, i === 0 ? answer : null),
        );
      }
      if (lowBalance) {
        const notice: OutgoingMessage = { type: 'text', body: lowBalanceText(lowBalance) };
        rows.push(await this.prepare(tx, ctx, notice, 'notice', null, null));
      }
      return rows;
    });
  }

  /**
   * To the person who wrote, as Meta identified them (their wa_id, or their BSUID when the
   * phone was withheld), from the shop's own business number.
   */
  private prepare(
    tx: SqlExecutor,
    { message, sender }: AnswerContext,
    outgoing: OutgoingMessage,
    purpose: OutboundPurpose,
    fallbackLevel: string | null,
    /** The answer itself, on its reply row only: the A/B arm is recorded there. */
    answer: PreparedAnswer | null,
  ): Promise<OutboundMessage> {
    const to = { waId: message.fromWaId, userId: message.fromWaId ? null : message.fromUserId };
    return this.outbox.prepare(tx, {
      inboundWamid: message.wamid,
      purpose,
      tenantId: message.tenantId,
      phoneNumberId: sender.channel.phoneNumberId,
      toWaId: to.waId,
      toUserId: to.userId,
      type: outgoing.type,
      text: outgoing.body,
      request: buildSendBody(to, outgoing),
      fallbackLevel,
      experiment: answer?.experiment ?? null,
    });
  }
}
