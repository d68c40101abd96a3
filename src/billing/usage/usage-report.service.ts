import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '../../common/errors/domain-error';
import { ConversationsService } from '../../conversations/services/conversations.service';
import type { Balance } from '../billing.types';
import { TokenLedgerRepository } from '../ledger/token-ledger.repository';
import {
  type LedgerEntryView,
  type MessageUsageRow,
  type UsageGroupBy,
  UsageReportRepository,
  type UsageTotals,
} from './usage-report.repository';
import { type ConversationCosts, conversationCosts } from './conversation-costs';

export type { UsageGroupBy, UsageTotals, LedgerEntryView, MessageUsageRow };

export interface UsageReport {
  from: Date;
  to: Date;
  timezone: string;
  groupBy: UsageGroupBy;
  totals: UsageTotals;
  groups: (UsageTotals & { key: string })[];
}

export interface ConversationReport extends ConversationCosts {
  from: Date;
  to: Date;
  timezone: string;
}

export interface LedgerPage {
  entries: LedgerEntryView[];
  nextCursor: string | null;
}

/** A period as an admin asks for it: local days (to inclusive) or ISO instants (to exclusive). */
export interface UsageQuery {
  from?: string;
  to?: string;
  groupBy: UsageGroupBy;
}

const DEFAULT_USAGE_DAYS = 30;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** What a shop spent its tokens on: usage over a period, and its ledger. */
@Injectable()
export class UsageReportService {
  constructor(
    private readonly repo: UsageReportRepository,
    private readonly balances: TokenLedgerRepository,
    private readonly chats: ConversationsService,
  ) {}

  /** Available, reserved, lifetime purchased and used. */
  balance(tenantId: string): Promise<Balance> {
    return this.balances.balance(tenantId);
  }

  /** Usage over a period in the shop's time zone; default the last 30 days. */
  /**
   * Cost per conversation over a period (as usageForPeriod): a chat's questions with gaps
   * under 30 minutes are one conversation; its tokens are what the shop was charged for them.
   */
  async conversationsForPeriod(
    tenant: { id: string; timezone: string },
    q: Omit<UsageQuery, 'groupBy'>,
  ): Promise<ConversationReport> {
    const { from, to } = await this.period(tenant.timezone, q);
    const questions = await this.chats.questionsBetween(tenant.id, from, to);
    const costs = await this.repo.usagePerMessage(
      tenant.id,
      questions.map((x) => x.inboundWamid),
    );
    const answered = questions.map((x) => ({
      ...x,
      chargedTokens: costs.get(x.inboundWamid)?.chargedTokens ?? 0,
      costUsd: costs.get(x.inboundWamid)?.costUsd ?? 0,
    }));
    return { from, to, timezone: tenant.timezone, ...conversationCosts(answered) };
  }

  async usageForPeriod(
    tenant: { id: string; timezone: string },
    q: UsageQuery,
  ): Promise<UsageReport> {
    const { from, to } = await this.period(tenant.timezone, q);
    return this.usage(tenant.id, { from, to, timezone: tenant.timezone, groupBy: q.groupBy });
  }

  private async period(
    tz: string,
    q: { from?: string; to?: string },
  ): Promise<{ from: Date; to: Date }> {
    const to = q.to ? await this.resolveInstant(q.to, tz, DAY.test(q.to)) : new Date();
    const from = q.from
      ? await this.resolveInstant(q.from, tz, false)
      : new Date(to.getTime() - DEFAULT_USAGE_DAYS * 86_400_000);
    if (from >= to) {
      throw new InvalidInputError('Invalid query', [
        { field: 'from', reason: 'must be before to' },
      ]);
    }
    return { from, to };
  }

  async usage(
    tenantId: string,
    range: { from: Date; to: Date; timezone: string; groupBy: UsageGroupBy },
  ): Promise<UsageReport> {
    return { ...range, ...(await this.repo.usage(tenantId, range)) };
  }

  /**
   * The instant a day starts in the shop's time zone ('2025-03-01' in Mexico City is
   * 06:00Z), or the instant itself when one was given.
   */
  async resolveInstant(value: string, timezone: string, endOfDay: boolean): Promise<Date> {
    if (!DAY.test(value)) return new Date(value);
    return this.repo.dayStart(value, timezone, endOfDay);
  }

  /** What answering one message cost: each LLM call it made (intent, chat rounds, transcription). */
  usageOfMessage(tenantId: string, inboundWamid: string): Promise<MessageUsageRow[]> {
    return this.repo.forMessage(tenantId, inboundWamid);
  }

  /** Newest first; the cursor is the id of the last entry returned. */
  async ledger(tenantId: string, limit: number, cursor: string | null): Promise<LedgerPage> {
    const rows = await this.repo.ledgerPage(tenantId, limit, cursor);
    const entries = rows.slice(0, limit);
    return {
      entries,
      nextCursor: rows.length > limit ? entries[entries.length - 1].id : null,
    };
  }
}
