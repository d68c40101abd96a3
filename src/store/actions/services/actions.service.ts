import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../../../database/sql-executor';
import type { StockChangeReason } from '../../../intents';
import { StoreService } from '../../services/store.service';
import { StoreWritesService } from '../../services/store-writes.service';
import type { MovementReason, ProductMatch, StockShortage } from '../../store.types';
import {
  ACTION_TTL_SECONDS,
  type ActionActor,
  type ActionCandidate,
  type ActionDraft,
  type ActionLine,
  type ActionPayload,
  type ActionResult,
  type PendingAction,
} from '../actions.types';
import { MetricsService } from '../../../observability/metrics.service';
import { PendingActionsRepository } from '../repositories/pending-actions.repository';

/**
 * pending_actions_total's outcome label per decision outcome (a fixed set: never payload
 * text). A retried job that finds its own decision already made counts it again; the counter
 * tracks traffic, the table holds the truth.
 */
const OUTCOME_LABELS: Record<string, string> = {
  confirm: 'proposed',
  choose: 'proposed',
  unknown: 'unknown_product',
  invalid: 'invalid',
  executed: 'confirmed',
  refused: 'refused',
  product_missing: 'refused',
  owner_only: 'forbidden',
  expired: 'expired',
  cancelled: 'cancelled',
  undone: 'undone',
  already_executed: 'duplicate',
  already_cancelled: 'duplicate',
  already_refused: 'duplicate',
  not_found: 'not_found',
};

/** Candidates offered in a list (WhatsApp lists hold 10 rows). */
const MAX_CANDIDATES = 10;

/** What proposing a write ended with. Nothing is written to the shop's books here. */
export type ProposeOutcome =
  /** Every product known: ask "¿Confirmas?" with the action's buttons. */
  | { kind: 'confirm'; action: PendingAction }
  /** A product matches several: the owner picks one from a list (line `line`). */
  | { kind: 'choose'; action: PendingAction; line: number }
  /** Some products are not in the catalogue: nothing proposed, the closest names offered. */
  | { kind: 'unknown'; unknown: { text: string; suggestions: string[] }[] }
  /** The request cannot be an action (e.g. a price below zero, half a unit). */
  | { kind: 'invalid'; reason: 'fraction' | 'negative_price' | 'empty' }
  /** A price change to the price the product already has: nothing to confirm. */
  | { kind: 'unchanged'; lines: { name: string; priceCents: number }[] };

/** What a tap on "Sí" ended with. */
export type ConfirmOutcome =
  | { kind: 'executed'; action: PendingAction; result: ActionResult }
  | { kind: 'refused'; action: PendingAction; shortages: StockShortage[] }
  | { kind: 'product_missing'; action: PendingAction }
  | { kind: 'already_executed'; action: PendingAction }
  | { kind: 'already_cancelled'; action: PendingAction }
  | { kind: 'already_refused'; action: PendingAction }
  | { kind: 'undone'; action: PendingAction }
  | { kind: 'expired'; action: PendingAction }
  | { kind: 'still_choosing'; action: PendingAction; line: number }
  | { kind: 'not_found' }
  | { kind: 'owner_only'; action: PendingAction };

export type CancelOutcome =
  | { kind: 'cancelled'; action: PendingAction }
  | Exclude<
      ConfirmOutcome,
      { kind: 'executed' | 'refused' | 'product_missing' | 'still_choosing' }
    >;

export type ChooseOutcome =
  ProposeOutcome | Exclude<ConfirmOutcome, { kind: 'executed' | 'refused' | 'product_missing' }>;

export type UndoOutcome =
  | { kind: 'undone'; action: PendingAction; result: ActionResult }
  | { kind: 'nothing'; last: PendingAction | null };

/**
 * Writes asked for in a chat, confirmed with one tap. A proposal resolves the products and
 * stores a pending action (10 minutes); the "Sí" executes it exactly once, in one
 * transaction with the store's writes; "No" cancels it; "deshacer" takes the chat's last
 * executed action back with compensating rows. Every decision checks the shop and the chat.
 */
@Injectable()
export class ActionsService {
  constructor(
    private readonly repo: PendingActionsRepository,
    private readonly store: StoreService,
    private readonly writes: StoreWritesService,
    private readonly metrics: MetricsService,
  ) {}

  /** Counts what each decision ended with (pending_actions_total{outcome}), then returns it. */
  private counted<T extends { kind: string }>(outcome: T, as?: string): T {
    const label = as ?? OUTCOME_LABELS[outcome.kind];
    if (label) this.metrics.pendingActions.inc({ outcome: label });
    return outcome;
  }

  async propose(actor: ActionActor, draft: ActionDraft): Promise<ProposeOutcome> {
    return this.counted(await this.proposeOnce(actor, draft));
  }

  private async proposeOnce(actor: ActionActor, draft: ActionDraft): Promise<ProposeOutcome> {
    if (draft.lines.length === 0) return { kind: 'invalid', reason: 'empty' };
    if (draft.kind !== 'price_change') {
      const bad = draft.lines.some(
        (l) => !Number.isInteger(l.quantity) || l.quantity < (draft.kind === 'stock_set' ? 0 : 1),
      );
      if (bad) return { kind: 'invalid', reason: 'fraction' };
    }
    const lines: ActionLine[] = [];
    const unknown: { text: string; suggestions: string[] }[] = [];
    for (const l of draft.lines) {
      const resolution = await this.store.resolveProducts(actor.tenantId, l.text, MAX_CANDIDATES);
      const base: ActionLine = { ...l, productId: null, name: null, unit: null };
      if (resolution.kind === 'none') {
        unknown.push({ text: l.text, suggestions: resolution.suggestions });
      } else if (resolution.kind === 'one') {
        lines.push(resolveLine(draft.kind, base, toCandidate(resolution.product)));
      } else {
        lines.push({ ...base, candidates: resolution.products.map(toCandidate) });
      }
    }
    if (unknown.length > 0) return { kind: 'unknown', unknown };
    if (lines.some((l) => l.newPriceCents !== undefined && l.newPriceCents < 0)) {
      return { kind: 'invalid', reason: 'negative_price' };
    }
    const unchanged = unchangedPrices(draft.kind, lines);
    if (unchanged) return unchanged;
    const payload: ActionPayload = { lines, ...(draft.reason ? { reason: draft.reason } : {}) };
    const open = lines.findIndex((l) => l.productId === null);
    const action = await this.repo.insert({
      tenantId: actor.tenantId,
      tenantUserId: actor.tenantUserId,
      chatWaId: actor.chatWaId,
      inboundWamid: actor.wamid,
      kind: draft.kind,
      payload,
      status: open >= 0 ? 'choosing' : 'pending',
    });
    return describeOpen(action);
  }

  /** The product picked from the list for one line (two quick taps: one wins, in order). */
  async choose(
    actor: ActionActor,
    actionId: string,
    line: number,
    productId: string,
  ): Promise<ChooseOutcome> {
    return this.repo.transaction(async (tx) => {
      const open = await this.repo.lock(tx, actionId);
      const denied = this.whyNotOpen(actor, open);
      if (denied && denied.kind !== 'still_choosing') return denied;
      const action = open!;
      if (action.status === 'pending') return describeOpen(action); // a retried pick
      const target = action.payload.lines[line];
      const candidate = target?.candidates?.find((c) => c.productId === productId);
      if (!target || target.productId !== null || !candidate) return describeOpen(action);
      const lines = action.payload.lines.map((l, i) =>
        i === line ? resolveLine(action.kind, l, candidate) : l,
      );
      if (lines.some((l) => l.newPriceCents !== undefined && l.newPriceCents < 0)) {
        return { kind: 'invalid', reason: 'negative_price' } as const;
      }
      const payload: ActionPayload = { ...action.payload, lines };
      const status = lines.some((l) => l.productId === null) ? 'choosing' : 'pending';
      const updated = await this.repo.choose(tx, action.id, actor, payload, status);
      return describeOpen(updated ?? action);
    });
  }

  /** The "Sí": runs the action once, with the store's writes, in one transaction. */
  async confirm(actor: ActionActor, actionId: string): Promise<ConfirmOutcome> {
    const outcome = await this.confirmOnce(actor, actionId);
    // A tap on an action already taken back changes nothing: a duplicate, not an undo.
    return this.counted(outcome, outcome.kind === 'undone' ? 'duplicate' : undefined);
  }

  private async confirmOnce(actor: ActionActor, actionId: string): Promise<ConfirmOutcome> {
    if (actor.role !== 'owner') {
      const action = await this.repo.find(actionId);
      if (action && this.isMine(actor, action) && action.kind === 'price_change') {
        return { kind: 'owner_only', action };
      }
    }
    return this.repo.transaction(async (tx) => {
      const claimed = await this.repo.claimForExecution(tx, actionId, actor, actor.wamid);
      if (!claimed) return this.whyNotConfirmed(tx, actor, actionId);
      const outcome = await this.execute(tx, actor, claimed);
      if (outcome.kind === 'executed') {
        await this.repo.setOutcome(tx, claimed.id, 'executed', outcome.result);
      } else if (outcome.kind === 'refused' || outcome.kind === 'product_missing') {
        await this.repo.setOutcome(tx, claimed.id, 'refused', {
          kind: 'refused',
          reason: outcome.kind === 'refused' ? 'insufficient_stock' : 'product_missing',
          detail: outcome.kind === 'refused' ? outcome.shortages : null,
        });
      }
      return outcome;
    });
  }

  async cancel(actor: ActionActor, actionId: string): Promise<CancelOutcome> {
    return this.counted(await this.cancelOnce(actor, actionId));
  }

  private async cancelOnce(actor: ActionActor, actionId: string): Promise<CancelOutcome> {
    const cancelled = await this.repo.cancel(actionId, actor, actor.wamid);
    if (cancelled) return { kind: 'cancelled', action: cancelled };
    const action = await this.repo.find(actionId);
    if (action && this.isMine(actor, action) && action.decidedWamid === actor.wamid) {
      if (action.status === 'cancelled') return { kind: 'cancelled', action }; // a retried job
    }
    const why = this.whyNotOpen(actor, action);
    if (why && why.kind !== 'still_choosing') return why;
    // Open but not cancellable cannot happen (the UPDATE takes both states); say expired.
    return { kind: 'expired', action: action! };
  }

  /** The chat's newest open action, for a typed "sí" or "no". */
  latestOpen(actor: ActionActor): Promise<PendingAction | null> {
    return this.repo.latestOpen(actor);
  }

  /** Takes back the chat's last executed action (or `actionId`) within 10 minutes. */
  async undo(actor: ActionActor, actionId: string | null = null): Promise<UndoOutcome> {
    return this.counted(await this.undoOnce(actor, actionId));
  }

  private async undoOnce(actor: ActionActor, actionId: string | null): Promise<UndoOutcome> {
    const again = await this.repo.undoneBy(actor, actor.wamid);
    if (again?.result) return { kind: 'undone', action: again, result: again.result };
    return this.repo.transaction(async (tx) => {
      const claimed = await this.repo.claimForUndo(
        tx,
        actor,
        actor.wamid,
        ACTION_TTL_SECONDS,
        actionId,
      );
      if (!claimed) return { kind: 'nothing', last: await this.repo.lastDecided(actor) };
      const reversed = await this.writes.reverseAction(tx, actor.tenantId, claimed.id);
      const result = { ...claimed.result!, undo: reversed } as ActionResult;
      await this.repo.saveUndo(tx, claimed.id, result);
      return { kind: 'undone', action: { ...claimed, result }, result } as const;
    });
  }

  private async execute(
    tx: SqlExecutor,
    actor: ActionActor,
    action: PendingAction,
  ): Promise<Extract<ConfirmOutcome, { kind: 'executed' | 'refused' | 'product_missing' }>> {
    const options = { actionId: action.id, allowNegativeStock: actor.allowNegativeStock };
    const lines = action.payload.lines;
    if (action.kind === 'sale') {
      const out = await this.writes.recordSale(
        tx,
        actor.tenantId,
        lines.map((l) => ({
          productId: l.productId!,
          quantity: l.quantity,
          unitPriceCents: l.unitPriceCents!,
        })),
        options,
      );
      if (!out.ok) return refusal(action, out);
      const { ok: _ok, ...sale } = out;
      return { kind: 'executed', action, result: { kind: 'sale', sale } };
    }
    if (action.kind === 'price_change') {
      const [line] = lines;
      const out = await this.writes.changePrice(
        tx,
        actor.tenantId,
        line.productId!,
        line.newPriceCents!,
        options,
      );
      if (!out.ok) return refusal(action, out);
      const { ok: _ok, ...price } = out;
      return { kind: 'executed', action, result: { kind: 'price', price } };
    }
    const kind =
      action.kind === 'stock_in' ? 'add' : action.kind === 'stock_out' ? 'remove' : 'set';
    const out = await this.writes.moveStock(
      tx,
      actor.tenantId,
      kind,
      lines.map((l) => ({ productId: l.productId!, quantity: l.quantity })),
      movementReason(action.kind, action.payload.reason),
      options,
    );
    if (!out.ok) return refusal(action, out);
    const { ok: _ok, ...stock } = out;
    return { kind: 'executed', action, result: { kind: 'stock', stock } };
  }

  private async whyNotConfirmed(
    tx: SqlExecutor,
    actor: ActionActor,
    actionId: string,
  ): Promise<ConfirmOutcome> {
    const action = await this.repo.find(actionId, tx);
    if (!action || !this.isMine(actor, action)) return { kind: 'not_found' };
    // The same tap again (a retried job): answer with what it did the first time.
    if (action.decidedWamid === actor.wamid && action.result) {
      if (action.status === 'executed' || action.status === 'undone') {
        return { kind: 'executed', action, result: action.result };
      }
    }
    return this.whyNotOpen(actor, action) ?? { kind: 'expired', action };
  }

  /** Why an action cannot be decided now, or null when it is open (pending or choosing). */
  private whyNotOpen(
    actor: ActionActor,
    action: PendingAction | null,
  ): Exclude<ConfirmOutcome, { kind: 'executed' | 'refused' | 'product_missing' }> | null {
    if (!action || !this.isMine(actor, action)) return { kind: 'not_found' };
    switch (action.status) {
      case 'executed':
        return { kind: 'already_executed', action };
      case 'undone':
        return { kind: 'undone', action };
      case 'cancelled':
        return { kind: 'already_cancelled', action };
      case 'refused':
        return { kind: 'already_refused', action };
      default:
        if (action.expiresAt.getTime() <= Date.now()) return { kind: 'expired', action };
        if (action.status === 'choosing') {
          return {
            kind: 'still_choosing',
            action,
            line: action.payload.lines.findIndex((l) => l.productId === null),
          };
        }
        return null;
    }
  }

  private isMine(actor: ActionActor, action: PendingAction): boolean {
    return action.tenantId === actor.tenantId && action.tenantUserId === actor.tenantUserId;
  }
}

function describeOpen(action: PendingAction): ProposeOutcome {
  const line = action.payload.lines.findIndex((l) => l.productId === null);
  return line >= 0 ? { kind: 'choose', action, line } : { kind: 'confirm', action };
}

function toCandidate(p: ProductMatch): ActionCandidate {
  return { productId: p.id, name: p.name, unit: p.unit, priceCents: p.priceCents, stock: p.stock };
}

/** A line with its product known: the figures the summary shows, frozen. */
/** Every line resolved and already at the asked price: an "ok" to tap would change nothing. */
function unchangedPrices(
  kind: PendingAction['kind'],
  lines: readonly ActionLine[],
): Extract<ProposeOutcome, { kind: 'unchanged' }> | null {
  if (kind !== 'price_change') return null;
  const same = lines.every(
    (l) => l.productId !== null && l.name !== null && l.newPriceCents === l.oldPriceCents,
  );
  if (!same) return null;
  return {
    kind: 'unchanged',
    lines: lines.map((l) => ({ name: l.name!, priceCents: l.newPriceCents! })),
  };
}

function resolveLine(
  kind: PendingAction['kind'],
  line: ActionLine,
  p: ActionCandidate,
): ActionLine {
  const { candidates: _candidates, ...rest } = line;
  const resolved: ActionLine = { ...rest, productId: p.productId, name: p.name, unit: p.unit };
  if (kind === 'sale') resolved.unitPriceCents = line.givenPriceCents ?? p.priceCents;
  if (kind === 'price_change') {
    resolved.oldPriceCents = p.priceCents;
    resolved.newPriceCents = line.givenNewPriceCents ?? p.priceCents + (line.deltaCents ?? 0);
  }
  if (kind === 'stock_set' || kind === 'stock_in' || kind === 'stock_out') {
    resolved.stockBefore = p.stock;
  }
  return resolved;
}

function refusal(
  action: PendingAction,
  out:
    | { ok: false; reason: 'insufficient_stock'; shortages: StockShortage[] }
    | { ok: false; reason: 'product_missing' },
): Extract<ConfirmOutcome, { kind: 'refused' | 'product_missing' }> {
  return out.reason === 'insufficient_stock'
    ? { kind: 'refused', action, shortages: out.shortages }
    : { kind: 'product_missing', action };
}

/** The ledger's reason for a stock action, and the owner's own word for it as the note. */
function movementReason(
  kind: PendingAction['kind'],
  reason: StockChangeReason | undefined,
): { reason: MovementReason; note: string | null } {
  if (kind === 'stock_set') return { reason: 'count', note: reason ?? 'conteo' };
  if (reason === 'devolucion') return { reason: 'return', note: reason };
  if (kind === 'stock_in')
    return { reason: reason === 'compra' ? 'purchase' : 'adjustment', note: reason ?? null };
  return { reason: reason === undefined ? 'adjustment' : 'loss', note: reason ?? null };
}
