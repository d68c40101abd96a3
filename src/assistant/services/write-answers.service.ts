import { Inject, Injectable } from '@nestjs/common';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import {
  type ActionActor,
  type ActionDraft,
  ActionsService,
  type ConfirmOutcome,
  type ProposeOutcome,
} from '../../store/actions';
import { APP_CONFIG, type AppConfig } from '../../config/config.module';
import type { IntentResult } from '../../intents';
import type { ToolResult } from '../../tools/tools.service';
import { parseWriteCall, WRITE_TOOL_DEFINITIONS } from '../../tools/write-tools';
import {
  directAnswer,
  type AnswerContext,
  type PreparedAnswer,
  type Question,
} from '../answer.types';
import {
  ALREADY_UNDONE,
  cancelledText,
  chooseMessage,
  confirmationMessage,
  executedMessage,
  FRACTION_TEXT,
  NEGATIVE_PRICE_TEXT,
  NOTHING_TO_UNDO,
  notDoneText,
  OWNER_ONLY_PRICES,
  parseActionChoice,
  refusedText,
  UNCLEAR_WRITE_TEXT,
  undoneText,
  unchangedPriceText,
  unknownProductsText,
} from '../replies/write-replies';
import type { ChangeKind } from '../short-messages';
import { ModelRouterService } from './model-router.service';
import { ToolLoopService } from './tool-loop.service';

/** A write proposal is one tool call and a few words: a small reply ceiling. */
const WRITE_MAX_TOKENS = 160;

/** "deshacer", "deshazlo", "desaz eso": take back the last write. */
const UNDO_WORDS =
  /^(?:por favor |porfa )?(?:deshacer|deshacerlo|deshaz|deshazlo|desacer|desaz|desazlo)\b/;

/**
 * Answers that write to the shop's books, always through a pending action the owner confirms:
 * change requests (built from the classifier's entities with zero tokens when every product
 * resolves, through the LLM's proposal tools otherwise), the taps on "Sí" / "No" / a product
 * in a list / "Deshacer", a typed "sí" / "no" to an open action, and "deshacer".
 */
@Injectable()
export class WriteAnswersService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly actions: ActionsService,
    private readonly loop: ToolLoopService,
    private readonly router: ModelRouterService,
  ) {}

  isUndo(normalized: string): boolean {
    return UNDO_WORDS.test(normalized.trim());
  }

  /** A tapped button or list row of ours; null when the id is not an action's. */
  async forChoice(ctx: AnswerContext, id: string): Promise<PreparedAnswer | null> {
    const choice = parseActionChoice(id);
    if (!choice) return null;
    const actor = actorOf(ctx);
    switch (choice.op) {
      case 'yes':
        return this.confirm(actor, choice.actionId);
      case 'no':
        return this.cancel(actor, choice.actionId);
      case 'undo':
        return this.undo(actor, choice.actionId);
      case 'pick': {
        const out = await this.actions.choose(
          actor,
          choice.actionId,
          choice.line,
          choice.productId,
        );
        switch (out.kind) {
          case 'confirm':
          case 'choose':
          case 'unknown':
          case 'invalid':
          case 'unchanged':
            return proposalAnswer(out);
          case 'still_choosing':
            return directAnswer(chooseMessage(out.action, out.line));
          default:
            return notDone(out);
        }
      }
    }
  }

  /** "sí" / "no" typed while an action waits in this chat; null when nothing waits. */
  async forYesNo(ctx: AnswerContext, yesNo: 'yes' | 'no'): Promise<PreparedAnswer | null> {
    const actor = actorOf(ctx);
    const open = await this.actions.latestOpen(actor);
    if (!open) return null;
    if (open.status === 'choosing') {
      if (yesNo === 'no') return this.cancel(actor, open.id);
      return proposalAnswer({ kind: 'choose', action: open, line: firstOpenLine(open) });
    }
    return yesNo === 'yes' ? this.confirm(actor, open.id) : this.cancel(actor, open.id);
  }

  undo(actor: ActionActor, actionId: string | null = null): Promise<PreparedAnswer> {
    return this.actions.undo(actor, actionId).then((out) => {
      if (out.kind === 'undone') return directAnswer(undoneText(out));
      return directAnswer(out.last?.status === 'undone' ? ALREADY_UNDONE : NOTHING_TO_UNDO);
    });
  }

  undoFor(ctx: AnswerContext): Promise<PreparedAnswer> {
    return this.undo(actorOf(ctx));
  }

  /** A message that asks to write: a pending action to confirm, or why there is none. */
  async forChangeRequest(q: Question, kind: ChangeKind): Promise<PreparedAnswer> {
    const intent = q.classified.intent;
    if (kind === 'price' && q.ctx.sender.user.role !== 'owner') {
      return directAnswer(OWNER_ONLY_PRICES, intent);
    }
    const draft = draftFromIntent(q.classified);
    if (draft) {
      const out = await this.actions.propose(actorOf(q.ctx), draft);
      return { ...proposalAnswer(out), intent };
    }
    return this.proposeWithLlm(q);
  }

  private async confirm(actor: ActionActor, actionId: string): Promise<PreparedAnswer> {
    const out = await this.actions.confirm(actor, actionId);
    switch (out.kind) {
      case 'executed':
        return directAnswer(executedMessage(out.action, out.result));
      case 'refused':
        return directAnswer(refusedText(out.action, out.shortages));
      case 'still_choosing':
        return directAnswer(chooseMessage(out.action, out.line));
      default:
        return notDone(out);
    }
  }

  private async cancel(actor: ActionActor, actionId: string): Promise<PreparedAnswer> {
    const out = await this.actions.cancel(actor, actionId);
    return out.kind === 'cancelled' ? directAnswer(cancelledText(out.action)) : notDone(out);
  }

  /**
   * The rules could not say what to write: the model gets the proposal tools only (they
   * never write) and one short instruction. The first valid proposal ends the loop; the owner
   * still confirms it with a tap.
   */
  private async proposeWithLlm(q: Question): Promise<PreparedAnswer> {
    const { message, tenant, now, sender } = q.ctx;
    // Routed by intent: by default a write the rules could not parse goes to high-accuracy.
    const route = await this.router.routeFor(q.ctx, q.classified.intent);
    const experiment = route.choice.experiment;
    const tools = WRITE_TOOL_DEFINITIONS.filter(
      (t) =>
        t.type === 'function' &&
        (sender.user.role === 'owner' || t.function.name !== 'proponer_precio'),
    );
    let proposal: PreparedAnswer | null = null;
    const execute = async (name: string, rawArgs: string): Promise<ToolResult> => {
      const parsed = parseWriteCall(name, rawArgs);
      if (!parsed.ok) return { ok: false, content: `error: ${parsed.error}` };
      proposal = proposalAnswer(await this.actions.propose(actorOf(q.ctx), parsed.draft));
      return { ok: true, content: '{"ok":true}' };
    };
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: writePrompt(tenant.name) },
      { role: 'user', content: q.text },
    ];
    const outcome = await this.loop
      .run({
        tenantId: tenant.id,
        reference: `${message.wamid}:a${message.attempts}`,
        messages,
        tools,
        models: route.models,
        apiKey: route.apiKey,
        ceiling: Math.min(route.ceiling, WRITE_MAX_TOKENS),
        toolContext: { tenantId: tenant.id, timeZone: tenant.timezone, now },
        deadlineAt: Date.now() + this.config.LLM_DEADLINE_MS,
        execute,
        stopAfterTools: () => proposal !== null,
      })
      .catch((err: Error) => ({ kind: 'error' as const, error: err, rounds: [] }));
    const intent = q.classified.intent;
    const found = proposal as PreparedAnswer | null;
    if (outcome.kind === 'answer' && found) {
      return { ...found, intent, level: outcome.level, charged: outcome.rounds, experiment };
    }
    if (outcome.kind === 'answer' && outcome.text) {
      // The model asked what was missing ("¿cuántas?"): nothing proposed, nothing written.
      return {
        message: { type: 'text', body: outcome.text },
        level: outcome.level,
        intent,
        charged: outcome.rounds,
        uncharged: [],
        experiment,
      };
    }
    return {
      message: { type: 'text', body: UNCLEAR_WRITE_TEXT },
      level: '2',
      intent,
      charged: [],
      uncharged: outcome.rounds,
      experiment,
    };
  }
}

function writePrompt(shopName: string): string {
  return (
    `Asistente de la tienda "${shopName}". El dueño pide registrar algo. Llama una herramienta ` +
    'proponer_* con los productos como los dijo, sin inventar nada; él lo confirmará. ' +
    'Si no se entiende qué o cuánto, pregúntalo en una línea.'
  );
}

function actorOf(ctx: AnswerContext): ActionActor {
  return {
    tenantId: ctx.tenant.id,
    tenantUserId: ctx.sender.user.id,
    chatWaId: ctx.sender.user.waId,
    wamid: ctx.message.wamid,
    role: ctx.sender.user.role,
    allowNegativeStock: ctx.tenant.allowNegativeStock,
  };
}

function firstOpenLine(action: { payload: { lines: { productId: string | null }[] } }): number {
  return action.payload.lines.findIndex((l) => l.productId === null);
}

function proposalAnswer(out: ProposeOutcome): PreparedAnswer {
  switch (out.kind) {
    case 'confirm':
      return directAnswer(confirmationMessage(out.action));
    case 'choose':
      return directAnswer(chooseMessage(out.action, out.line));
    case 'unknown':
      return directAnswer(unknownProductsText(out.unknown));
    case 'unchanged':
      return directAnswer(unchangedPriceText(out.lines));
    case 'invalid':
      return directAnswer(
        out.reason === 'negative_price'
          ? NEGATIVE_PRICE_TEXT
          : out.reason === 'fraction'
            ? FRACTION_TEXT
            : UNCLEAR_WRITE_TEXT,
      );
  }
}

function notDone(
  out: Exclude<ConfirmOutcome, { kind: 'executed' | 'refused' | 'still_choosing' }>,
): PreparedAnswer {
  return directAnswer(notDoneText(out));
}

/**
 * The pending action the classifier's entities describe, or null when they do not say
 * enough (no items, a price change without product or amount): then the LLM is asked.
 */
export function draftFromIntent(result: IntentResult): ActionDraft | null {
  const e = result.entities;
  if (result.intent === 'registrar_venta') {
    if (!e.items?.length) return null;
    return {
      kind: 'sale',
      lines: e.items.map((i) => ({
        text: i.product,
        quantity: i.quantity,
        ...(i.unitPriceCents !== undefined ? { givenPriceCents: i.unitPriceCents } : {}),
      })),
    };
  }
  if (result.intent === 'ajustar_inventario') {
    const s = e.stockChange;
    if (!s?.items.length) return null;
    const kind = s.kind === 'add' ? 'stock_in' : s.kind === 'remove' ? 'stock_out' : 'stock_set';
    return {
      kind,
      ...(s.reason ? { reason: s.reason } : {}),
      lines: s.items.map((i) => ({ text: i.product, quantity: i.quantity })),
    };
  }
  if (e.priceChange) {
    return {
      kind: 'price_change',
      lines: [
        { text: e.priceChange.product, quantity: 0, givenNewPriceCents: e.priceChange.priceCents },
      ],
    };
  }
  if (e.priceDelta) {
    return {
      kind: 'price_change',
      lines: [{ text: e.priceDelta.product, quantity: 0, deltaCents: e.priceDelta.deltaCents }],
    };
  }
  return null;
}
