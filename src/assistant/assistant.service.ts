import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { DataSource } from 'typeorm';
import { BillingService } from '../billing/billing.service';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { ConversationsService, type Turn } from '../conversations/conversations.service';
import type { OutboundMessage } from '../inbox/outbound-message.entity';
import { classifyIntent, type Intent, type IntentResult, normalizeText } from '../intents';
import { resolveModelChain } from '../llm';
import { TenantLlmConfigService } from '../tenants/tenant-llm-config.service';
import { ToolsService } from '../tools/tools.service';
import type { OutgoingMessage } from '../whatsapp/graph-api.types';
import type { AnswerContext, Answerer } from './answer.types';
import { FallbackAnswers } from './fallback-answers';
import { dataLine, plannedToolCall } from './prefetch';
import { systemPrompt } from './prompts';
import { ReplySender } from './reply-sender.service';
import {
  FRIENDLY_ERROR,
  greeting,
  HELP,
  UNSUPPORTED_MESSAGE,
  VOICE_NOT_SUPPORTED,
  WRITES_NOT_SUPPORTED,
} from './spanish-replies';
import { type ChargedRound, type LoopOutcome, ToolLoop } from './tool-loop';

/** Which step of the fallback produced an answer ('direct' = no LLM needed at all). */
export type AnswerLevel = 'direct' | '1' | '1b' | '2' | '3';

/** History sent with each question: enough for "¿y ayer?", small enough for a Básico shop. */
export const HISTORY_BUDGET_TOKENS = 120;
const DATA_INTENTS: ReadonlySet<Intent> = new Set(['ventas', 'inventario', 'ganancias', 'precios']);
const TOP_UP_WORDS = /\b(recarg|paquete|comprar|compra|plan)/;

type Shop = AnswerContext['sender']['tenant'];

/** One question on its way to the LLM: what was asked, by which shop, and the context. */
interface Question {
  message: AnswerContext['message'];
  tenant: Shop;
  now: Date;
  text: string;
  normalized: string;
  classified: IntentResult;
  history: Turn[];
}

interface Prepared {
  message: OutgoingMessage;
  level: AnswerLevel;
  intent: Intent | null;
  rounds: ChargedRound[];
  /** Rounds whose usage is recorded but not charged (the answer fell back to level 2). */
  uncharged: ChargedRound[];
}

/**
 * Turns one inbound message into one reply: zero-token answers where no LLM is needed,
 * otherwise the tool loop with the multi-level fallback. The charge, the conversation turn
 * and the prepared reply commit in one transaction, so a retried job never pays twice.
 */
@Injectable()
export class AssistantService implements Answerer {
  private readonly log = new Logger(AssistantService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly billing: BillingService,
    private readonly conversations: ConversationsService,
    private readonly tools: ToolsService,
    private readonly llmConfig: TenantLlmConfigService,
    private readonly loop: ToolLoop,
    private readonly fallback: FallbackAnswers,
    private readonly replies: ReplySender,
  ) {}

  async answer({ message, sender }: AnswerContext): Promise<OutboundMessage[]> {
    const tenant = sender.tenant;
    const now = new Date();
    let prepared: Prepared;
    try {
      prepared = await this.prepare(message, tenant, now, sender.user.waId);
    } catch (err) {
      // Level 3: even the predefined answer failed. If the database itself is down, the
      // transaction below fails too and the job is retried, so this never hides an outage.
      this.log.error(`Answering ${message.wamid} failed, level 3: ${(err as Error).message}`);
      prepared = {
        message: { type: 'text', body: FRIENDLY_ERROR },
        level: '3',
        intent: null,
        rounds: [],
        uncharged: [],
      };
    }
    const text = message.text?.trim() ?? `[${message.type}]`;

    const rows: OutboundMessage[] = [];
    await this.db.transaction(async (tx) => {
      for (const round of prepared.rounds) {
        await this.billing.settle(
          tx,
          round.reservation,
          this.usageOf(round, prepared.level, message.wamid),
        );
      }
      for (const round of prepared.uncharged) {
        await this.billing.recordUsage(tx, {
          ...this.usageOf(round, prepared.level, message.wamid),
          tenantId: tenant.id,
          reservation: round.reservation,
        });
      }
      const body = prepared.message.body;
      await this.conversations.append(
        tx,
        {
          tenantId: tenant.id,
          waId: message.fromWaId,
          inboundWamid: message.wamid,
          intent: prepared.intent,
        },
        text,
        body,
      );
      rows.push(
        await this.replies.prepare(message, prepared.message, {
          executor: tx,
          fallbackLevel: prepared.level,
        }),
      );
    });

    if (prepared.rounds.length > 0 && (await this.billing.shouldSendLowBalanceNotice(tenant.id))) {
      const balance = await this.billing.getBalance(tenant.id);
      rows.push(
        await this.replies.prepare(
          message,
          { type: 'text', body: this.billing.lowBalanceNotice(balance) },
          { purpose: 'notice' },
        ),
      );
    }
    return rows;
  }

  private async prepare(
    message: AnswerContext['message'],
    tenant: Shop,
    now: Date,
    waId: string,
  ): Promise<Prepared> {
    const { id: tenantId, timezone: timeZone } = tenant;
    const direct = (body: string | OutgoingMessage, intent: Intent | null = null): Prepared => ({
      message: typeof body === 'string' ? { type: 'text', body } : body,
      level: 'direct',
      intent,
      rounds: [],
      uncharged: [],
    });

    const choice = interactiveId(message.payload);
    if (choice?.startsWith('pkg:')) {
      return direct(
        await this.billing.recordPurchaseRequest(tenantId, choice.slice(4), waId, message.wamid),
        'saldo',
      );
    }
    if (message.type === 'audio' || message.type === 'voice') return direct(VOICE_NOT_SUPPORTED);
    const text = message.text?.trim();
    if (!text) return direct(UNSUPPORTED_MESSAGE);

    const history = await this.conversations.recent(
      tenantId,
      message.fromWaId,
      HISTORY_BUDGET_TOKENS,
      message.wamid,
    );
    const classified = followUp(classifyIntent(text, { now, timeZone }), history);
    const intent = classified.intent;
    const normalized = normalizeText(text);

    switch (intent) {
      case 'saludo':
        return direct(
          greeting(message.contactName, /gracia|grasia|thank/.test(normalized)),
          intent,
        );
      case 'ayuda':
        return direct(HELP, intent);
      case 'saldo':
        return TOP_UP_WORDS.test(normalized)
          ? direct(await this.billing.packagesListMessage(), intent)
          : direct(await this.billing.balanceMessage(tenantId), intent);
      case 'registrar_venta':
      case 'ajustar_inventario':
        return direct(WRITES_NOT_SUPPORTED, intent);
    }
    // ventas, inventario, ganancias, precios and otro are the LLM's.

    let outcome: LoopOutcome | { kind: 'error'; error: Error; rounds: [] };
    try {
      outcome = await this.runLlm({ message, tenant, now, text, normalized, classified, history });
    } catch (err) {
      // Whatever broke (a tool, the data, our own bug), the owner still gets levels 2 and 3.
      outcome = { kind: 'error', error: err as Error, rounds: [] };
    }
    if (outcome.kind === 'answer') {
      return {
        message: { type: 'text', body: outcome.text },
        level: outcome.level,
        intent,
        rounds: outcome.rounds,
        uncharged: [],
      };
    }
    this.log.warn(`Falling back to level 2 for ${message.wamid}: ${describe(outcome)}`);
    const level2 = await this.levelTwo(intent, tenantId, timeZone, now);
    let body = level2.text;
    if (outcome.kind === 'out_of_tokens' && level2.level === '2') {
      body = `${body}\n\n${await this.billing.outOfTokensNotice()}`;
    }
    return {
      message: { type: 'text', body },
      level: level2.level,
      intent,
      rounds: [],
      uncharged: outcome.rounds,
    };
  }

  private async runLlm(q: Question): Promise<LoopOutcome> {
    const { message, now, text, classified } = q;
    const { id: tenantId, name: shopName, timezone: timeZone } = q.tenant;
    // An inactive (or absent) shop configuration means the platform's key and models.
    const stored = await this.llmConfig.getLlmConfig(tenantId);
    const cfg = stored.isActive ? stored : undefined;
    const intent = classified.intent;
    let toolNames = this.tools.toolsForIntent(intent);
    const toolContext = { tenantId, timeZone, now };
    let prompt = systemPrompt(intent, shopName, now, timeZone);
    const planned = DATA_INTENTS.has(intent)
      ? plannedToolCall(intent, classified.entities, timeZone, q.normalized)
      : null;
    if (planned && toolNames.includes(planned.name)) {
      const result = await this.tools.execute(
        toolContext,
        planned.name,
        JSON.stringify(planned.args),
      );
      if (result.ok) {
        // The data the question obviously needs, fetched before the call: the model answers
        // in one round and no tool definitions are paid for (about half of a question's tokens).
        prompt += `\n${dataLine(planned.name, planned.args, result.content)}`;
        toolNames = [];
      }
    }
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: prompt },
      ...q.history.map((t): ChatCompletionMessageParam => ({ role: t.role, content: t.content })),
      { role: 'user', content: text },
    ];
    return this.loop.run({
      tenantId,
      reference: `${message.wamid}:a${message.attempts}`,
      messages,
      tools: this.tools.definitionsFor(toolNames),
      models: resolveModelChain(
        {
          modelDefault: cfg?.modelDefault,
          modelFallback: cfg?.modelFallback,
          profile: cfg?.profile,
        },
        this.config,
      ),
      apiKey: cfg?.apiKey,
      ceiling: Math.min(cfg?.maxTokens ?? this.config.LLM_MAX_TOKENS, this.config.LLM_MAX_TOKENS),
      toolContext,
      deadlineAt: Date.now() + this.config.LLM_DEADLINE_MS,
    });
  }

  /** Level 2 with real numbers; level 3 when even that cannot be read. */
  private async levelTwo(
    intent: Intent,
    tenantId: string,
    timeZone: string,
    now: Date,
  ): Promise<{ text: string; level: '2' | '3' }> {
    try {
      return { text: await this.fallback.forIntent(intent, tenantId, timeZone, now), level: '2' };
    } catch (err) {
      this.log.error(`Level 2 failed too, answering level 3: ${(err as Error).message}`);
      return { text: FRIENDLY_ERROR, level: '3' };
    }
  }

  private usageOf(round: ChargedRound, level: AnswerLevel, wamid: string) {
    return {
      promptTokens: round.usage.promptTokens,
      completionTokens: round.usage.completionTokens,
      totalTokens: round.usage.totalTokens,
      model: round.model,
      operation: 'chat' as const,
      costUsd: round.usage.costUsd,
      latencyMs: round.latencyMs,
      fallbackLevel: level,
      inboundWamid: wamid,
      seq: round.seq,
    };
  }
}

/**
 * A short, unsure message right after a data question ("¿y ayer?") continues that question:
 * keep its intent, take the new period or product.
 */
export function followUp(result: IntentResult, history: Turn[]): IntentResult {
  const last = [...history].reverse().find((t) => t.role === 'user' && t.intent);
  if (!last?.intent || !DATA_INTENTS.has(last.intent as Intent)) return result;
  const unsure = result.intent === 'otro' || result.confidence < 0.5;
  const hasEntity = Boolean(result.entities.period || result.entities.product);
  return unsure && hasEntity ? { ...result, intent: last.intent as Intent } : result;
}

function interactiveId(payload: Record<string, unknown>): string | null {
  const interactive = payload.interactive as
    { button_reply?: { id?: string }; list_reply?: { id?: string } } | undefined;
  return interactive?.list_reply?.id ?? interactive?.button_reply?.id ?? null;
}

function describe(outcome: LoopOutcome | { kind: 'error'; error: Error }): string {
  switch (outcome.kind) {
    case 'error':
      return `unexpected ${outcome.error.name}: ${outcome.error.message}`;
    case 'llm_failed':
      return `llm ${outcome.error.kind}: ${outcome.error.message}`;
    case 'out_of_tokens':
      return `out of tokens (${outcome.available} available)`;
    case 'no_answer':
      return 'the model gave no final answer';
    default:
      return outcome.kind;
  }
}
