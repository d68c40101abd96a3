import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export type UsageGroupBy = 'day' | 'model' | 'operation';

export interface UsageTotals {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  chargedTokens: number;
  /** USD as reported by the provider; null when no call in the bucket reported a cost. */
  costUsd: number | null;
}

export interface UsageReport {
  from: Date;
  to: Date;
  timezone: string;
  groupBy: UsageGroupBy;
  totals: UsageTotals;
  groups: (UsageTotals & { key: string })[];
}

export interface LedgerPage {
  entries: Record<string, unknown>[];
  nextCursor: string | null;
}

/** The bucket key per grouping; the timezone is a bound parameter ($4), never spliced in. */
const GROUP_KEY: Record<UsageGroupBy, string> = {
  day: `to_char((created_at AT TIME ZONE $4)::date, 'YYYY-MM-DD')`,
  model: 'model',
  operation: 'operation',
};

const SUMS = `count(*)::int AS calls,
  coalesce(sum(tokens_prompt), 0)::bigint AS prompt_tokens,
  coalesce(sum(tokens_completion), 0)::bigint AS completion_tokens,
  coalesce(sum(tokens_total), 0)::bigint AS total_tokens,
  coalesce(sum(tokens_charged), 0)::bigint AS charged_tokens,
  sum(cost_usd)::text AS cost_usd`;

/** Read-only views over token_usage and token_ledger for the admin API. */
@Injectable()
export class UsageReportService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async usage(
    tenantId: string,
    range: { from: Date; to: Date; timezone: string; groupBy: UsageGroupBy },
  ): Promise<UsageReport> {
    const params = [tenantId, range.from, range.to, range.timezone];
    // $4 (the time zone) is typed here so both queries accept it whether or not they group by day.
    const where = `tenant_id = $1 AND created_at >= $2 AND created_at < $3 AND $4::text IS NOT NULL`;
    const key = GROUP_KEY[range.groupBy];
    const [totals] = (await this.db.query(
      `SELECT ${SUMS} FROM token_usage WHERE ${where}`,
      params,
    )) as Record<string, unknown>[];
    const groups = (await this.db.query(
      `SELECT ${key} AS key, ${SUMS} FROM token_usage WHERE ${where}
        GROUP BY 1 ORDER BY 1`,
      params,
    )) as Record<string, unknown>[];
    return {
      ...range,
      totals: toTotals(totals),
      groups: groups.map((g) => ({ key: g.key as string, ...toTotals(g) })),
    };
  }

  /**
   * The instant a day starts in the shop's time zone ('2025-03-01' in Mexico City is
   * 06:00Z), or the instant itself when one was given.
   */
  async resolveInstant(value: string, timezone: string, endOfDay: boolean): Promise<Date> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value);
    const [row] = (await this.db.query(
      `SELECT (($1::date + $3::int)::timestamp AT TIME ZONE $2) AS at`,
      [value, timezone, endOfDay ? 1 : 0],
    )) as { at: Date }[];
    return row.at;
  }

  /** Newest first; the cursor is the id of the last entry returned. */
  async ledger(tenantId: string, limit: number, cursor: string | null): Promise<LedgerPage> {
    const rows = (await this.db.query(
      `SELECT id::text AS id, entry_type, tokens, available_delta, reserved_delta,
              available_after, reserved_after, reason, reference, reservation_id, purchase_id,
              created_at
         FROM token_ledger
        WHERE tenant_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
        ORDER BY id DESC LIMIT $3`,
      [tenantId, cursor, limit + 1],
    )) as Record<string, unknown>[];
    const page = rows.slice(0, limit);
    return {
      entries: page.map((r) => ({
        id: r.id,
        type: r.entry_type,
        tokens: r.tokens,
        availableDelta: r.available_delta,
        reservedDelta: r.reserved_delta,
        availableAfter: r.available_after,
        reservedAfter: r.reserved_after,
        reason: r.reason,
        reference: r.reference,
        reservationId: r.reservation_id,
        purchaseId: r.purchase_id,
        createdAt: r.created_at,
      })),
      nextCursor: rows.length > limit ? (page[page.length - 1].id as string) : null,
    };
  }
}

function toTotals(r: Record<string, unknown>): UsageTotals {
  return {
    calls: r.calls as number,
    promptTokens: Number(r.prompt_tokens),
    completionTokens: Number(r.completion_tokens),
    totalTokens: Number(r.total_tokens),
    chargedTokens: Number(r.charged_tokens),
    costUsd: r.cost_usd === null ? null : Number(r.cost_usd),
  };
}
