import { Injectable, Logger } from '@nestjs/common';
import { TokenLedgerService } from '../../billing/ledger/token-ledger.service';
import { formatMoney } from '../../common/money';
import { type Intent, resolvePeriod } from '../../intents';
import { StoreService } from '../../store/services/store.service';
import type { LoopOutcome, PreparedAnswer, Question } from '../answer.types';
import { balanceText, OUT_OF_TOKENS_TEXT } from '../replies/billing-replies';
import { FALLBACK_LEAD, FRIENDLY_ERROR, GENERIC_FALLBACK } from '../replies/spanish-replies';

const LOW_STOCK_SHOWN = 5;

/**
 * The lower steps of the fallback ladder: level 2, a predefined answer per intent filled with
 * the shop's real numbers where the intent allows (no tokens charged; the rounds that reached
 * the provider are recorded uncharged), and level 3 when even that cannot be read.
 */
@Injectable()
export class FallbackAnswersService {
  private readonly log = new Logger(FallbackAnswersService.name);

  constructor(
    private readonly store: StoreService,
    private readonly ledger: TokenLedgerService,
  ) {}

  /** The answer when the LLM step gave none. */
  async afterFailure(
    q: Question,
    outcome: Exclude<LoopOutcome, { kind: 'answer' }>,
  ): Promise<PreparedAnswer> {
    const { message, tenant, now } = q.ctx;
    const intent = q.classified.intent;
    this.log.warn(`Falling back to level 2 for ${message.wamid}: ${describe(outcome)}`);
    let level: '2' | '3' = '2';
    let body: string;
    try {
      body = await this.forIntent(intent, tenant.id, tenant.timezone, now);
      if (outcome.kind === 'out_of_tokens') body = `${body}\n\n${OUT_OF_TOKENS_TEXT}`;
    } catch (err) {
      this.log.error(`Level 2 failed too, answering level 3: ${(err as Error).message}`);
      body = FRIENDLY_ERROR;
      level = '3';
    }
    return {
      message: { type: 'text', body },
      level,
      intent,
      charged: [],
      uncharged: outcome.rounds,
    };
  }

  /** Level 3: even the predefined answer could not be prepared. */
  levelThree(): PreparedAnswer {
    return {
      message: { type: 'text', body: FRIENDLY_ERROR },
      level: '3',
      intent: null,
      charged: [],
      uncharged: [],
    };
  }

  /** Level 2 for an intent. Throws if the data cannot be read, so the caller drops to level 3. */
  async forIntent(intent: Intent, tenantId: string, timeZone: string, now: Date): Promise<string> {
    switch (intent) {
      case 'ventas': {
        const today = resolvePeriod('today', now, timeZone);
        const s = await this.store.salesSummary(tenantId, today.from, today.to);
        const tickets = s.tickets === 1 ? '1 venta' : `${s.tickets} ventas`;
        return `${FALLBACK_LEAD}\nHoy llevas ${formatMoney(s.totalCents)} en ${tickets}.`;
      }
      case 'ganancias': {
        const today = resolvePeriod('today', now, timeZone);
        const p = await this.store.profit(tenantId, today.from, today.to);
        return `${FALLBACK_LEAD}\nHoy llevas ${formatMoney(p.profitCents)} de ganancia sobre ${formatMoney(p.revenueCents)} vendidos.`;
      }
      case 'inventario': {
        const low = await this.store.lowStock(tenantId);
        if (low.length === 0) {
          return `${FALLBACK_LEAD}\nNingún producto está en su mínimo de inventario. 👍`;
        }
        const lines = low
          .slice(0, LOW_STOCK_SHOWN)
          .map((p) => `• ${p.name}: quedan ${p.stock} (mínimo ${p.minStock})`);
        const more =
          low.length > LOW_STOCK_SHOWN ? `\n…y ${low.length - LOW_STOCK_SHOWN} más.` : '';
        return `${FALLBACK_LEAD}\nPor surtir:\n${lines.join('\n')}${more}`;
      }
      case 'saldo':
        return balanceText((await this.ledger.getBalance(tenantId)).available);
      default:
        return GENERIC_FALLBACK;
    }
  }
}

function describe(outcome: Exclude<LoopOutcome, { kind: 'answer' }>): string {
  switch (outcome.kind) {
    case 'error':
      return `unexpected ${outcome.error.name}: ${outcome.error.message}`;
    case 'llm_failed':
      return `llm ${outcome.error.kind}: ${outcome.error.message}`;
    case 'out_of_tokens':
      return `out of tokens (${outcome.available} available)`;
    case 'no_answer':
      return 'the model gave no final answer';
  }
}
