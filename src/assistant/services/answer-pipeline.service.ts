import { Injectable, Logger } from '@nestjs/common';
import type { IgnoreReason, InboundMessage } from '../../inbox/inbox.types';
import { OutboxService } from '../../inbox/services/outbox.service';
import { TenantsService } from '../../tenants/services/tenants.service';
import type { AnswerContext, PreparedAnswer } from '../answer.types';
import { AnswerRecorderService } from './answer-recorder.service';
import { DirectAnswersService } from './direct-answers.service';
import { FallbackAnswersService } from './fallback-answers.service';
import { LlmAnswerService } from './llm-answer.service';
import { QuestionService } from './question.service';
import { ReplySenderService } from './reply-sender.service';

export type PipelineResult =
  | { status: 'processed'; tenantId: string }
  | { status: 'ignored'; ignoreReason: IgnoreReason; tenantId?: string };

/**
 * One inbound message, from the shop it is for to the reply on the owner's phone:
 *   shop and sender → (a retry: send what was prepared) → route by message type → direct
 *   answers (zero tokens) → LLM answer (prefetch, prompt, tool loop) → fallback ladder →
 *   commit (reply + charge + turn, one transaction) → send.
 * Safe to run again for the same message: what was prepared (and paid for) is sent, never
 * computed or charged twice.
 */
@Injectable()
export class AnswerPipelineService {
  private readonly log = new Logger(AnswerPipelineService.name);

  constructor(
    private readonly tenants: TenantsService,
    private readonly outbox: OutboxService,
    private readonly direct: DirectAnswersService,
    private readonly questions: QuestionService,
    private readonly llm: LlmAnswerService,
    private readonly fallback: FallbackAnswersService,
    private readonly recorder: AnswerRecorderService,
    private readonly replies: ReplySenderService,
  ) {}

  async run(message: InboundMessage): Promise<PipelineResult> {
    const sender = await this.tenants.resolveSender(message.fromWaId);
    if (!sender) return { status: 'ignored', ignoreReason: 'unknown_sender' };
    const tenant = sender.tenant;
    if (tenant.status !== 'active') {
      return { status: 'ignored', ignoreReason: 'tenant_suspended', tenantId: tenant.id };
    }
    const ctx: AnswerContext = {
      message: { ...message, tenantId: tenant.id },
      sender,
      tenant,
      now: new Date(),
    };
    if (message.attempts === 1) await this.replies.markRead(message);

    let rows = await this.outbox.findPrepared(message.wamid);
    if (rows.length === 0) rows = await this.recorder.record(ctx, await this.prepare(ctx));
    await this.replies.deliverAll(rows);
    return { status: 'processed', tenantId: tenant.id };
  }

  private async prepare(ctx: AnswerContext): Promise<PreparedAnswer> {
    try {
      const byType = await this.direct.forMessageType(ctx);
      if (byType) return byType;
      const question = await this.questions.fromText(ctx, ctx.message.text?.trim() ?? '');
      const direct = await this.direct.forIntent(question);
      if (direct) return direct;
      const outcome = await this.llm.answer(question);
      if (outcome.kind === 'answer') {
        return {
          message: { type: 'text', body: outcome.text },
          level: outcome.level,
          intent: question.classified.intent,
          charged: outcome.rounds,
          uncharged: [],
        };
      }
      return await this.fallback.afterFailure(question, outcome);
    } catch (err) {
      // Level 3: even the predefined answer failed. If the database itself is down, the
      // commit fails too and the job is retried, so this never hides an outage.
      this.log.error(`Answering ${ctx.message.wamid} failed, level 3: ${(err as Error).message}`);
      return this.fallback.levelThree();
    }
  }
}
