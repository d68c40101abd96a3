import { Inject, Injectable, Logger } from '@nestjs/common';
import { estimatePromptTokens } from '../../billing/ledger/token-estimate';
import { TokenLedgerService } from '../../billing/ledger/token-ledger.service';
import { APP_CONFIG, type AppConfig } from '../../config/config.module';
import { buildIntentPrompt, type IntentResult, parseIntentReply } from '../../intents';
import { LlmError, LlmGatewayClient } from '../../llm';
import { MetricsService } from '../../observability/metrics.service';
import { TenantLlmConfigService } from '../../tenants/services/tenant-llm-config.service';
import type { AnswerContext, ChargedRound } from '../answer.types';
import { modelRoute } from '../model-route';
import { IntentCacheService } from './intent-cache.service';

/** The classification is a small part of an answer: it never waits long. */
const MAX_CLASSIFY_MS = 8_000;

export interface ClassifiedByLlm {
  result: IntentResult;
  /** The call, to be charged with the answer (or recorded as absorbed if it falls to level 2). */
  round: ChargedRound | null;
}

/**
 * When neither the rules nor the learned model are confident (`unsure`), one tiny JSON-mode
 * call labels the message (operation 'intent', reserved and settled through the token ledger
 * like every call), cached per normalized text so a phrasing is classified once. Whatever
 * goes wrong (no tokens, provider down, a reply that is not a label) the rules' answer
 * stands: classification never blocks the answer.
 */
@Injectable()
export class IntentFallbackService {
  private readonly log = new Logger(IntentFallbackService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cache: IntentCacheService,
    private readonly ledger: TokenLedgerService,
    private readonly gateway: LlmGatewayClient,
    private readonly llmConfig: TenantLlmConfigService,
    private readonly metrics: MetricsService,
  ) {}

  async classify(
    ctx: AnswerContext,
    text: string,
    normalized: string,
    rules: IntentResult,
  ): Promise<ClassifiedByLlm> {
    if (!rules.unsure || !normalized) return { result: rules, round: null };
    const cached = await this.cache.get(normalized);
    if (cached) {
      this.metrics.intentLlm.inc({ outcome: 'cache_hit' });
      return { result: labelled(rules, cached.intent, cached.confidence), round: null };
    }
    const { tenant, message } = ctx;
    const prompt = buildIntentPrompt(text);
    const route = modelRoute(await this.llmConfig.getLlmConfig(tenant.id), this.config);
    const plan = await this.ledger.reserveRound(tenant.id, {
      promptTokens: estimatePromptTokens(prompt.messages, []),
      ceiling: prompt.maxTokens,
      reference: `${message.wamid}:a${message.attempts}:intent`,
    });
    if ('insufficient' in plan) {
      this.metrics.intentLlm.inc({ outcome: 'no_tokens' });
      return { result: rules, round: null };
    }
    let completion;
    try {
      completion = await this.gateway.complete({
        messages: prompt.messages,
        models: route.models,
        maxTokens: plan.maxTokens,
        apiKey: route.apiKey,
        tenantId: tenant.id,
        operation: 'intent',
        jsonMode: true,
        temperature: 0,
        deadlineAt: Date.now() + Math.min(MAX_CLASSIFY_MS, this.config.LLM_DEADLINE_MS),
      });
    } catch (err) {
      await this.ledger.releaseRound(plan.reservation);
      if (!(err instanceof LlmError)) throw err;
      this.metrics.intentLlm.inc({ outcome: 'llm_failed' });
      this.log.debug(`intent classification failed (${err.kind}); the rules' label stands`);
      return { result: rules, round: null };
    }
    const reservation = await this.ledger
      .shrinkRound(plan.reservation, completion.usage.totalTokens)
      .catch(() => plan.reservation);
    const round: ChargedRound = {
      seq: 0,
      operation: 'intent',
      reservation,
      usage: completion.usage,
      model: completion.model,
      modelIndex: completion.modelIndex,
      latencyMs: completion.latencyMs,
    };
    const reply = parseIntentReply(completion.message.content);
    if (!reply.ok) {
      this.metrics.intentLlm.inc({ outcome: 'bad_reply' });
      return { result: rules, round };
    }
    this.metrics.intentLlm.inc({ outcome: 'classified' });
    await this.cache.set(normalized, { intent: reply.intent, confidence: reply.confidence });
    return { result: labelled(rules, reply.intent, reply.confidence), round };
  }
}

/** The LLM's label over the rules' entities (periods, products, amounts stay theirs). */
function labelled(rules: IntentResult, intent: IntentResult['intent'], confidence: number) {
  return { ...rules, intent, confidence, unsure: false };
}
