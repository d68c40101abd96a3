import { Injectable, Logger } from '@nestjs/common';
import { TokenLedgerService } from '../../billing/ledger/token-ledger.service';
import { formatInt, formatMoney } from '../../common/money';
import { resolvePeriod } from '../../intents';
import { StoreService } from '../../store/services/store.service';
import { ToolsService } from '../../tools/tools.service';
import type { LoopOutcome, PreparedAnswer, Question } from '../answer.types';
import type { PlannedToolCall } from '../prefetch';
import { balanceText, OUT_OF_TOKENS_TEXT } from '../replies/billing-replies';
import {
  lowStockReply,
  priceReply,
  profitReply,
  salesReply,
  stockReply,
  topReply,
} from '../replies/data-replies';
import {
  FALLBACK_LEAD,
  FRIENDLY_ERROR,
  GENERIC_FALLBACK,
  SHORT_MENU,
} from '../replies/spanish-replies';

/** How the owner's period reads in a sentence, for the named periods of the tools. */
const PERIOD_LABELS: Record<string, string> = {
  hoy: 'hoy',
  ayer: 'ayer',
  antier: 'antier',
  esta_semana: 'esta semana',
  semana_pasada: 'la semana pasada',
  este_mes: 'este mes',
  mes_pasado: 'el mes pasado',
  este_anio: 'este año',
};

/**
 * The lower steps of the fallback ladder. Level 2 answers the question with the shop's real
 * numbers where it allows: the same read the LLM would have been given (the question's plan:
 * product, period, ranking), said in fixed Spanish; no tokens charged (the rounds that
 * reached the provider are recorded as absorbed). Level 3 when even that cannot be read.
 */
@Injectable()
export class FallbackAnswersService {
  private readonly log = new Logger(FallbackAnswersService.name);

  constructor(
    private readonly store: StoreService,
    private readonly tools: ToolsService,
    private readonly ledger: TokenLedgerService,
  ) {}

  /** The answer when the LLM step gave none. */
  async afterFailure(
    q: Question,
    outcome: Exclude<LoopOutcome, { kind: 'answer' }>,
  ): Promise<PreparedAnswer> {
    const { message } = q.ctx;
    const intent = q.classified.intent;
    this.log.warn(`Falling back to level 2 for ${message.wamid}: ${describe(outcome)}`);
    let level: '2' | '3' = '2';
    let body: string;
    try {
      body = await this.levelTwo(q);
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

  /** Level 2 for a question. Throws if the data cannot be read, so the caller drops to level 3. */
  async levelTwo(q: Question): Promise<string> {
    const { tenant } = q.ctx;
    if (q.classified.intent === 'saldo') {
      return balanceText((await this.ledger.getBalance(tenant.id)).available);
    }
    if (q.plan) return `${FALLBACK_LEAD}\n${await this.planned(q, q.plan)}`;
    if (q.classified.intent === 'otro') return this.dayAtAGlance(q);
    return GENERIC_FALLBACK;
  }

  private async planned(q: Question, plan: PlannedToolCall): Promise<string> {
    const { tenant, now } = q.ctx;
    const context = { tenantId: tenant.id, timeZone: tenant.timezone, now };
    const data = (await this.tools.read(context, plan.name, plan.args)) as Record<string, unknown>;
    const label = periodLabel(q, plan.args);
    const product = typeof plan.args.product === 'string' ? plan.args.product : '';
    switch (plan.name) {
      case 'get_sales_summary':
        return salesReply(data, label, product);
      case 'get_profit':
        return profitReply(data, label, product);
      case 'get_top_products':
        return topReply(data, label);
      case 'get_stock':
        return stockReply(data, product);
      case 'get_price':
        return priceReply(data, product);
      case 'get_low_stock':
        return lowStockReply(data);
      default:
        throw new Error(`no level-2 reply for ${plan.name}`);
    }
  }

  /** For a free-form question: the day at a glance (real numbers), then what can be asked. */
  private async dayAtAGlance(q: Question): Promise<string> {
    const { tenant, now } = q.ctx;
    const today = resolvePeriod('today', now, tenant.timezone);
    const [sales, low] = await Promise.all([
      this.store.salesSummary(tenant.id, today.from, today.to),
      this.store.lowStock(tenant.id),
    ]);
    const tickets = sales.tickets === 1 ? '1 venta' : `${formatInt(sales.tickets)} ventas`;
    const restock =
      low.length === 0
        ? 'nada por surtir'
        : `${low.length === 1 ? '1 producto' : `${formatInt(low.length)} productos`} por surtir`;
    return [
      'Ahorita no pude preparar una respuesta a eso. Mientras tanto, tu día:',
      `• Hoy llevas ${formatMoney(sales.totalCents)} en ${tickets}.`,
      `• Tienes ${restock}.`,
      '',
      SHORT_MENU,
    ].join('\n');
  }
}

/** The period as the owner said it ("el sábado", "octubre"), else the tool's name for it. */
function periodLabel(q: Question, args: Record<string, unknown>): string {
  const named = typeof args.period === 'string' ? PERIOD_LABELS[args.period] : undefined;
  if (named) return named;
  const said = q.classified.entities.period?.label;
  if (said) return said;
  if (typeof args.from === 'string' && typeof args.to === 'string') {
    return args.from === args.to ? `el ${args.from}` : `del ${args.from} al ${args.to}`;
  }
  return 'hoy';
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
