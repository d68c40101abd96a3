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
  /**
   * Tokens the provider counted that the shop did not pay: rounds that reached the model but
   * ended in a level-2 answer, and overruns its balance could not cover. The platform absorbs
   * them. Operators' test calls are not counted here (they are the platform's own).
   */
  absorbedTokens: number;
  /** USD as reported by the provider; null when no call in the bucket reported a cost. */
  costUsd: number | null;
  /** Answers served from the response cache (0 tokens each). */
  cacheHits: number;
  /** Answers the model was called for (their first 'chat' round): the cache's misses. */
  cacheMisses: number;
  /** What the cached answers had cost when computed: tokens not spent again. */
  tokensSaved: number;
}

export interface LedgerEntryView {
  id: string;
  type: string;
  tokens: number;
  availableDelta: number;
  reservedDelta: number;
  availableAfter: number;
  reservedAfter: number;
  reason: string;
  reference: string | null;
  reservationId: string | null;
  purchaseId: string | null;
  createdAt: Date;
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
  coalesce(sum(tokens_total - tokens_charged) FILTER (WHERE operation <> 'test'), 0)::bigint
    AS absorbed_tokens,
  sum(cost_usd)::text AS cost_usd,
  count(*) FILTER (WHERE cache)::int AS cache_hits,
  count(*) FILTER (WHERE operation = 'chat' AND NOT cache AND seq = 1)::int AS cache_misses,
  coalesce(sum(tokens_saved), 0)::bigint AS tokens_saved`;

/** One LLM call made for one inbound message, as recorded in token_usage. */
export interface MessageUsageRow {
  operation: string;
  seq: number;
  model: string;
  totalTokens: number;
  chargedTokens: number;
  latencyMs: number;
  fallbackLevel: string | null;
}

/** Read-only SQL over token_usage and token_ledger for reports. */
@Injectable()
export class UsageReportRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async usage(
    tenantId: string,
    range: { from: Date; to: Date; timezone: string; groupBy: UsageGroupBy },
  ): Promise<{ totals: UsageTotals; groups: (UsageTotals & { key: string })[] }> {
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
      totals: toTotals(totals),
      groups: groups.map((g) => ({ key: g.key as string, ...toTotals(g) })),
    };
  }

  /** What each of these messages cost the shop: tokens charged, tokens counted, USD. */
  async usagePerMessage(
    tenantId: string,
    wamids: string[],
  ): Promise<Map<string, { chargedTokens: number; totalTokens: number; costUsd: number }>> {
    const rows = (await this.db.query(
      `SELECT inbound_wamid, coalesce(sum(tokens_charged), 0)::bigint AS charged,
              coalesce(sum(tokens_total), 0)::bigint AS total,
              coalesce(sum(cost_usd), 0)::text AS cost_usd
         FROM token_usage
        WHERE tenant_id = $1 AND inbound_wamid = ANY($2::text[]) AND operation <> 'test'
        GROUP BY inbound_wamid`,
      [tenantId, wamids],
    )) as { inbound_wamid: string; charged: string; total: string; cost_usd: string }[];
    return new Map(
      rows.map((r) => [
        r.inbound_wamid,
        {
          chargedTokens: Number(r.charged),
          totalTokens: Number(r.total),
          costUsd: Number(r.cost_usd),
        },
      ]),
    );
  }

  /**
   * What the model rounds of each answer used (operation 'chat' only: the classification and
   * the transcription do not depend on the profile that answered): tokens counted, USD, and
   * the time spent waiting on the provider.
   */
  async chatUsageOfMessages(
    wamids: string[],
  ): Promise<Map<string, { totalTokens: number; costUsd: number; latencyMs: number }>> {
    if (wamids.length === 0) return new Map();
    const rows = (await this.db.query(
      `SELECT inbound_wamid, coalesce(sum(tokens_total), 0)::bigint AS total,
              coalesce(sum(cost_usd), 0)::text AS cost_usd,
              coalesce(sum(latency_ms), 0)::bigint AS latency
         FROM token_usage
        WHERE inbound_wamid = ANY($1::text[]) AND operation = 'chat'
        GROUP BY inbound_wamid`,
      [wamids],
    )) as { inbound_wamid: string; total: string; cost_usd: string; latency: string }[];
    return new Map(
      rows.map((r) => [
        r.inbound_wamid,
        { totalTokens: Number(r.total), costUsd: Number(r.cost_usd), latencyMs: Number(r.latency) },
      ]),
    );
  }

  /** The LLM calls one inbound message made, in the order they were made. */
  async forMessage(tenantId: string, inboundWamid: string): Promise<MessageUsageRow[]> {
    const rows = (await this.db.query(
      `SELECT operation, seq, model, tokens_total, tokens_charged, latency_ms, fallback_level
         FROM token_usage WHERE tenant_id = $1 AND inbound_wamid = $2 ORDER BY id`,
      [tenantId, inboundWamid],
    )) as Record<string, unknown>[];
    return rows.map((r) => ({
      operation: r.operation as string,
      seq: r.seq as number,
      model: r.model as string,
      totalTokens: r.tokens_total as number,
      chargedTokens: r.tokens_charged as number,
      latencyMs: r.latency_ms as number,
      fallbackLevel: r.fallback_level as string | null,
    }));
  }

  /** The instant a local day starts (or the next day starts, with endOfDay) in a time zone. */
  async dayStart(day: string, timezone: string, endOfDay: boolean): Promise<Date> {
    const [row] = (await this.db.query(
      `SELECT (($1::date + $3::int)::timestamp AT TIME ZONE $2) AS at`,
      [day, timezone, endOfDay ? 1 : 0],
    )) as { at: Date }[];
    return row.at;
  }

  /** Newest first, entries with id below the cursor; one more than asked (to tell if more exist). */
  async ledgerPage(
    tenantId: string,
    limit: number,
    cursor: string | null,
  ): Promise<LedgerEntryView[]> {
    const rows = (await this.db.query(
      `SELECT id::text AS id, entry_type, tokens, available_delta, reserved_delta,
              available_after, reserved_after, reason, reference, reservation_id, purchase_id,
              created_at
         FROM token_ledger
        WHERE tenant_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
        ORDER BY id DESC LIMIT $3`,
      [tenantId, cursor, limit + 1],
    )) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: r.id as string,
      type: r.entry_type as string,
      tokens: r.tokens as number,
      availableDelta: r.available_delta as number,
      reservedDelta: r.reserved_delta as number,
      availableAfter: r.available_after as number,
      reservedAfter: r.reserved_after as number,
      reason: r.reason as string,
      reference: r.reference as string | null,
      reservationId: r.reservation_id as string | null,
      purchaseId: r.purchase_id as string | null,
      createdAt: r.created_at as Date,
    }));
  }
}

function toTotals(r: Record<string, unknown>): UsageTotals {
  return {
    calls: r.calls as number,
    promptTokens: Number(r.prompt_tokens),
    completionTokens: Number(r.completion_tokens),
    totalTokens: Number(r.total_tokens),
    chargedTokens: Number(r.charged_tokens),
    absorbedTokens: Number(r.absorbed_tokens),
    costUsd: r.cost_usd === null ? null : Number(r.cost_usd),
    cacheHits: r.cache_hits as number,
    cacheMisses: r.cache_misses as number,
    tokensSaved: Number(r.tokens_saved),
  };
}
