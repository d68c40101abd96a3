import { Inject, Injectable } from '@nestjs/common';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { APP_CONFIG, type AppConfig } from '../../config/config.module';
import { ToolsService } from '../../tools/tools.service';
import type { LoopOutcome, Question } from '../answer.types';
import { dataLine } from '../prefetch';
import { systemPrompt } from '../prompts';
import { ResponseCacheService } from '../response-cache/response-cache.service';
import { ModelRouterService, type RoutedModels } from './model-router.service';
import { ToolLoopService } from './tool-loop.service';

/**
 * The LLM's answer to a question: the shop's model chain and key, a short prompt with the
 * data the question obviously needs (prefetched, so most reads take one round and no tool
 * definitions), then the tool loop. Never throws: whatever breaks comes back as an outcome,
 * so the caller can still answer with levels 2 and 3.
 */
@Injectable()
export class LlmAnswerService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tools: ToolsService,
    private readonly router: ModelRouterService,
    private readonly loop: ToolLoopService,
    private readonly cache: ResponseCacheService,
  ) {}

  async answer(q: Question): Promise<LoopOutcome> {
    let route: RoutedModels | undefined;
    try {
      // The profile for this intent (shop map, experiment arm, platform map); an inactive
      // (or absent) shop configuration means the platform's key and models.
      route = await this.router.routeFor(q.ctx, q.classified.intent);
      return { ...(await this.run(q, route)), experiment: route.choice.experiment };
    } catch (err) {
      // A tool, the data, our own bug: the owner still gets levels 2 and 3.
      return {
        kind: 'error',
        error: err as Error,
        rounds: [],
        experiment: route?.choice.experiment,
      };
    }
  }

  private async run(q: Question, route: RoutedModels): Promise<LoopOutcome> {
    const { message, tenant, now } = q.ctx;
    const { id: tenantId, name: shopName, timezone: timeZone } = tenant;
    const intent = q.classified.intent;
    // Profit is the owner's: an employee's open question never reaches it.
    let toolNames = this.tools
      .toolsForIntent(intent)
      .filter((name) => q.ctx.sender.user.role === 'owner' || name !== 'get_profit');
    const toolContext = { tenantId, timeZone, now, ownerView: q.ctx.sender.user.role === 'owner' };
    let prompt = systemPrompt(intent, shopName, now, timeZone);
    // The plan is ours (per intent, see prefetch.ts), not the model's: it runs whichever
    // tools the intent would have offered.
    const planned = this.config.LLM_PREFETCH ? q.plan : null;
    if (planned) {
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
      { role: 'user', content: q.text },
    ];
    const tools = this.tools.definitionsFor(toolNames);
    // Same question, same data, same models and tools: the answer already given, 0 tokens.
    const cacheKey = await this.cache.keyFor({
      tenantId,
      models: route.models,
      messages,
      tools,
      normalizedQuestion: q.normalized,
      grounded: toolNames.length === 0 && planned !== null,
    });
    const cached = cacheKey ? await this.cache.get(cacheKey) : null;
    if (cached) {
      return {
        kind: 'answer',
        text: cached.text,
        level: cached.level,
        rounds: [],
        cacheHit: { model: cached.model, savedTokens: cached.tokens },
      };
    }
    const outcome = await this.loop.run({
      tenantId,
      reference: `${message.wamid}:a${message.attempts}`,
      messages,
      tools,
      models: route.models,
      apiKey: route.apiKey,
      ceiling: route.ceiling,
      toolContext,
      deadlineAt: Date.now() + this.config.LLM_DEADLINE_MS,
    });
    // Only a one-round answer is kept: it was written from what the key covers. After a tool
    // call it also rests on data fetched during the loop, which the key does not see.
    if (cacheKey && outcome.kind === 'answer' && outcome.rounds.length === 1) {
      const [round] = outcome.rounds;
      await this.cache.set(cacheKey, {
        text: outcome.text,
        level: outcome.level,
        model: round.model,
        tokens: round.usage.totalTokens,
      });
    }
    return outcome;
  }
}
