import { Injectable, Logger } from '@nestjs/common';
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { TokenReservation } from '../../billing/billing.types';
import { estimatePromptTokens } from '../../billing/ledger/token-estimate';
import { TokenLedgerService } from '../../billing/ledger/token-ledger.service';
import { fallbackLevelForModel, LlmError, LlmGatewayClient } from '../../llm';
import { ToolsService, type ToolContext, type ToolResult } from '../../tools/tools.service';
import type { ChargedRound, LoopOutcome } from '../answer.types';

export interface LoopInput {
  tenantId: string;
  /** Prefix of the reservation references (inbound wamid + job attempt). */
  reference: string;
  messages: ChatCompletionMessageParam[];
  tools: ChatCompletionTool[];
  models: string[];
  apiKey?: string;
  /** Largest reply a round may ask for (tenant max_tokens or LLM_MAX_TOKENS). */
  ceiling: number;
  toolContext: ToolContext;
  deadlineAt: number;
  /** Runs the calls instead of the read tools (the write tools, which only propose). */
  execute?: (name: string, rawArgs: string) => Promise<ToolResult>;
  /**
   * Checked after a round's tools ran: true ends the loop as an answer with no text (the
   * caller got what it needed from the tools, and another round would only cost tokens).
   */
  stopAfterTools?: () => boolean;
}

export const MAX_ROUNDS = 5;

/**
 * The tool-calling loop: reserve → call the model → run the tools it asks for → repeat, at
 * most MAX_ROUNDS times. Each round reserves only what the shop's balance allows and lowers
 * max_tokens to fit. Tool failures and invalid arguments go back to the model as tool
 * messages; provider failures end the loop with the reason so the caller can fall back.
 */
@Injectable()
export class ToolLoopService {
  private readonly log = new Logger(ToolLoopService.name);

  constructor(
    private readonly gateway: LlmGatewayClient,
    private readonly ledger: TokenLedgerService,
    private readonly tools: ToolsService,
  ) {}

  async run(input: LoopInput): Promise<LoopOutcome> {
    const messages = [...input.messages];
    const rounds: ChargedRound[] = [];
    const called = new Set<string>();
    let models = input.models;
    for (let seq = 1; seq <= MAX_ROUNDS; seq++) {
      const reference = `${input.reference}:r${seq}`;
      let tools = input.tools;
      let plan = await this.reserve(input, messages, tools, reference);
      if ('insufficient' in plan && called.size > 0) {
        // Too little left to send every definition again: the model has its data, and only
        // the tools it already called stay defined (providers want those in the history).
        const used = tools.filter((t) => t.type === 'function' && called.has(t.function.name));
        if (used.length < tools.length) {
          tools = used;
          plan = await this.reserve(input, messages, tools, reference);
        }
      }
      if ('insufficient' in plan)
        return { kind: 'out_of_tokens', available: plan.available, rounds };

      let result;
      try {
        result = await this.gateway.complete({
          messages,
          tools: tools.length ? tools : undefined,
          models,
          maxTokens: plan.maxTokens,
          apiKey: input.apiKey,
          tenantId: input.tenantId,
          operation: 'chat',
          deadlineAt: input.deadlineAt,
          temperature: 0.2,
        });
      } catch (err) {
        await this.ledger.releaseRound(plan.reservation);
        if (err instanceof LlmError) return { kind: 'llm_failed', error: err, rounds };
        throw err;
      }
      // Later rounds start with the model that just answered (no point retrying a dead one);
      // the gateway counts within the chain it was given, which may start past the default.
      const modelIndex = input.models.length - models.length + result.modelIndex;
      models = input.models.slice(modelIndex);
      rounds.push({
        seq,
        reservation: await this.keepWhatWasUsed(plan.reservation, result.usage.totalTokens),
        usage: result.usage,
        model: result.model,
        modelIndex,
        latencyMs: result.latencyMs,
      });

      const calls = result.message.toolCalls;
      if (calls.length === 0) {
        const text = result.message.content?.trim();
        if (!text) return { kind: 'no_answer', rounds };
        // Any round on a fallback model makes the whole answer a 1b one.
        const level = fallbackLevelForModel(Math.max(...rounds.map((r) => r.modelIndex)));
        return { kind: 'answer', text, level, rounds };
      }
      messages.push({
        role: 'assistant',
        content: result.message.content ?? null,
        tool_calls: calls.map((c) => ({
          id: c.id,
          type: 'function' as const,
          function: { name: c.name, arguments: c.arguments },
        })),
      });
      for (const call of calls) {
        called.add(call.name);
        const output = input.execute
          ? await input.execute(call.name, call.arguments)
          : await this.tools.execute(input.toolContext, call.name, call.arguments);
        if (!output.ok) this.log.debug(`tool ${call.name} refused: ${output.content}`);
        messages.push({ role: 'tool', tool_call_id: call.id, content: output.content });
      }
      if (input.stopAfterTools?.()) {
        const level = fallbackLevelForModel(Math.max(...rounds.map((r) => r.modelIndex)));
        return { kind: 'answer', text: '', level, rounds };
      }
    }
    return { kind: 'no_answer', rounds };
  }

  private reserve(
    input: LoopInput,
    messages: ChatCompletionMessageParam[],
    tools: ChatCompletionTool[],
    reference: string,
  ) {
    return this.ledger.reserveRound(input.tenantId, {
      promptTokens: estimatePromptTokens(messages, tools),
      ceiling: input.ceiling,
      reference,
    });
  }

  /**
   * What the round did not use goes back now, so the next round can reserve it. If that
   * fails the round keeps its whole reservation (settled or swept later, as before): the
   * answer is not lost over it.
   */
  private async keepWhatWasUsed(
    reservation: TokenReservation,
    usedTokens: number,
  ): Promise<TokenReservation> {
    try {
      return await this.ledger.shrinkRound(reservation, usedTokens);
    } catch (err) {
      this.log.warn(`could not shrink reservation ${reservation.id}: ${(err as Error).message}`);
      return reservation;
    }
  }
}
