import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config.module';
import type { IgnoreReason, InboundMessage } from '../../inbox/inbox.types';
import { OutboxService } from '../../inbox/services/outbox.service';
import { labelFrom } from '../../observability/metric-labels';
import { MetricsService } from '../../observability/metrics.service';
import { TenantsService } from '../../tenants/services/tenants.service';
import {
  type AnswerContext,
  type ChargedRound,
  directAnswer,
  type PreparedAnswer,
} from '../answer.types';
import { DAILY_CAP_REACHED, SLOW_DOWN, truncatedNote } from '../replies/spanish-replies';
import { AbuseLimitsService } from './abuse-limits.service';
import { graphemes } from '../../whatsapp/text-limits';
import { AnswerRecorderService } from './answer-recorder.service';
import { DirectAnswersService } from './direct-answers.service';
import { FallbackAnswersService } from './fallback-answers.service';
import { LlmAnswerService } from './llm-answer.service';
import { MessageEventsService } from './message-events.service';
import { QuestionService } from './question.service';
import { ReplySenderService } from './reply-sender.service';
import { understoodPrefix } from '../replies/write-replies';
import { VoiceInputService, type Heard } from './voice-input.service';

const ANSWER_LEVELS = ['direct', '1', '1b', '2', '3'] as const;

export type PipelineResult =
  | { status: 'processed'; tenantId: string }
  | { status: 'ignored'; ignoreReason: IgnoreReason; tenantId?: string };

/**
 * One inbound message, from the shop it is for to the reply on the owner's phone:
 *   shop (by the business number) and sender → (a retry: send what was prepared) → not a
 *   question? record it (reactions, edits, notices) → route by message type → direct answers
 *   (zero tokens) → LLM answer (prefetch, prompt, tool loop) → fallback ladder → commit
 *   (reply + charge + turn, one transaction) → send, from the shop's own number.
 * Safe to run again for the same message: what was prepared (and paid for) is sent, never
 * computed or charged twice.
 */
@Injectable()
export class AnswerPipelineService {
  private readonly log = new Logger(AnswerPipelineService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenants: TenantsService,
    private readonly outbox: OutboxService,
    private readonly events: MessageEventsService,
    private readonly direct: DirectAnswersService,
    private readonly questions: QuestionService,
    private readonly llm: LlmAnswerService,
    private readonly fallback: FallbackAnswersService,
    private readonly recorder: AnswerRecorderService,
    private readonly replies: ReplySenderService,
    private readonly metrics: MetricsService,
    private readonly voice: VoiceInputService,
    private readonly limits: AbuseLimitsService,
  ) {}

  async run(message: InboundMessage): Promise<PipelineResult> {
    const found = await this.tenants.resolveSender(
      { phoneNumberId: message.phoneNumberId, waId: message.fromWaId, userId: message.fromUserId },
      message.wamid,
    );
    if (found.kind === 'unknown_channel')
      return { status: 'ignored', ignoreReason: 'unknown_channel' };
    if (found.kind === 'unknown_sender') {
      return { status: 'ignored', ignoreReason: 'unknown_sender', tenantId: found.tenant.id };
    }
    const { tenant } = found;
    if (tenant.status !== 'active') {
      return { status: 'ignored', ignoreReason: 'tenant_suspended', tenantId: tenant.id };
    }
    let ctx: AnswerContext = {
      message: { ...message, tenantId: tenant.id },
      sender: found,
      tenant,
      now: new Date(),
    };
    // Only a later attempt can find replies an earlier one prepared (claim counts attempts and
    // nothing else writes a message's replies): the first skips the lookup.
    let rows = message.attempts > 1 ? await this.outbox.findPrepared(message.wamid) : [];
    let readReceipt: Promise<void> = Promise.resolve();
    if (rows.length === 0) {
      const decision = await this.events.decide(ctx);
      if (decision.kind === 'ignore') {
        return { status: 'ignored', ignoreReason: decision.reason, tenantId: tenant.id };
      }
      const { text, truncated } = this.bounded(decision.message.text);
      ctx = { ...ctx, message: { ...decision.message, text } };
      // Limits before anything costs tokens (transcription included): a flood from one chat,
      // or a shop over its daily cap, is stored and gets at most a short reply, no LLM.
      const limit = await this.limits.chatLimit(ctx);
      if (limit.kind === 'limited') {
        return { status: 'ignored', ignoreReason: 'rate_limited', tenantId: tenant.id };
      }
      // Blue ticks while the answer is prepared, not before it: the receipt is its own Graph
      // call (with retries when Meta is slow), and the LLM call does not need to wait for it.
      if (message.attempts === 1) readReceipt = this.replies.markRead(message);
      let answer: PreparedAnswer;
      if (limit.kind === 'limited_first') answer = directAnswer(SLOW_DOWN);
      else if (await this.limits.overDailyCap(ctx)) answer = directAnswer(DAILY_CAP_REACHED);
      else {
        // A voice note is answered as the words it carries, its reply opening with them.
        const heard = await this.voice.hear(ctx);
        if (heard.kind === 'text') ctx = { ...ctx, message: { ...ctx.message, text: heard.text } };
        answer = heard.kind === 'reply' ? heard.answer : await this.prepare(ctx);
        if (heard.kind === 'text') answer = withTranscript(answer, heard);
        if (truncated) answer = withNote(answer, this.config.INBOUND_TEXT_MAX_CHARS);
      }
      rows = await this.recorder.record(ctx, answer);
      await this.limits.addSpent(ctx, tokensOf(answer));
    }
    await this.replies.deliverAll(rows);
    await readReceipt; // never rejects (markRead logs its failure)
    const reply = rows.find((r) => r.purpose === 'reply');
    if (reply) {
      this.metrics.answerLatency.observe(
        { level: labelFrom(ANSWER_LEVELS, reply.fallbackLevel) },
        Math.max(0, Date.now() - message.receivedAt.getTime()) / 1000,
      );
    }
    return { status: 'processed', tenantId: tenant.id };
  }

  private async prepare(ctx: AnswerContext): Promise<PreparedAnswer> {
    let classification: ChargedRound | null = null;
    try {
      const byType = await this.direct.forMessageType(ctx);
      if (byType) return byType;
      const question = await this.questions.fromText(ctx, ctx.message.text?.trim() ?? '');
      classification = question.classificationRound;
      return withClassification(await this.answerQuestion(question), classification);
    } catch (err) {
      // Level 3: even the predefined answer failed. If the database itself is down, the
      // commit fails too and the job is retried, so this never hides an outage.
      this.log.error(`Answering ${ctx.message.wamid} failed, level 3: ${(err as Error).message}`);
      return withClassification(this.fallback.levelThree(), classification);
    }
  }

  /**
   * A very long text is cut before it reaches the classifier and the LLM (it would cost the
   * shop its tokens and say nothing a question needs); the answer tells the owner.
   */
  private bounded(text: string | null): { text: string | null; truncated: boolean } {
    const max = this.config.INBOUND_TEXT_MAX_CHARS;
    if (text === null || text.length <= max) return { text, truncated: false };
    // Counted and cut as the owner sees characters (an emoji is one).
    const chars = graphemes(text);
    if (chars.length <= max) return { text, truncated: false };
    return { text: chars.slice(0, max).join('').trimEnd(), truncated: true };
  }

  private async answerQuestion(
    question: Awaited<ReturnType<QuestionService['fromText']>>,
  ): Promise<PreparedAnswer> {
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
        cacheHit: outcome.cacheHit,
        experiment: outcome.experiment,
      };
    }
    const fallback = await this.fallback.afterFailure(question, outcome);
    return { ...fallback, experiment: outcome.experiment };
  }
}

/**
 * The call that labelled an unsure message is paid like the answer's own rounds: with a
 * direct or LLM answer it is charged; with a level-2 or level-3 answer it is recorded as
 * absorbed by the platform, like the rounds that failed.
 */
function withClassification(answer: PreparedAnswer, round: ChargedRound | null): PreparedAnswer {
  if (!round) return answer;
  return answer.level === '2' || answer.level === '3'
    ? { ...answer, uncharged: [round, ...answer.uncharged] }
    : { ...answer, charged: [round, ...answer.charged] };
}

/**
 * "Entendí: «vendí dos cocas»" above the answer, and the transcription paid like the
 * classification: charged with a direct or LLM answer, absorbed under a level-2/3 one.
 */
function withTranscript(answer: PreparedAnswer, heard: Extract<Heard, { kind: 'text' }>) {
  const charged = withClassification(answer, heard.round);
  return {
    ...charged,
    message: {
      ...charged.message,
      body: `${understoodPrefix(heard.text)}\n\n${charged.message.body}`,
    },
  };
}

/** Every token the answer's LLM calls used, charged or absorbed: what counts against the cap. */
function tokensOf(answer: PreparedAnswer): number {
  return [...answer.charged, ...answer.uncharged].reduce((n, r) => n + r.usage.totalTokens, 0);
}

/** The owner is told that only the start of a long message was read. */
function withNote(answer: PreparedAnswer, length: number): PreparedAnswer {
  if (answer.message.type !== 'text') return answer;
  return {
    ...answer,
    message: { ...answer.message, body: `${answer.message.body}\n\n${truncatedNote(length)}` },
  };
}
