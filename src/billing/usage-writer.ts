import type { EntityManager } from 'typeorm';
import type { UsageRecord } from './billing.types';

/**
 * Inserts one token_usage row; false when that call (wamid, operation, seq) was already
 * recorded, e.g. by an earlier attempt of the same job.
 */
export async function insertUsage(
  tx: EntityManager,
  tenantId: string,
  usage: UsageRecord,
  reservationId: string | null,
  charged: number,
): Promise<boolean> {
  const rows = (await tx.query(
    `INSERT INTO token_usage (tenant_id, inbound_wamid, operation, seq, reservation_id,
       tokens_prompt, tokens_completion, tokens_total, tokens_charged, model, cost_usd,
       latency_ms, fallback_level)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT ON CONSTRAINT token_usage_once DO NOTHING
     RETURNING id`,
    [
      tenantId,
      usage.inboundWamid,
      usage.operation,
      usage.seq,
      reservationId,
      nonNegativeInt(usage.promptTokens),
      nonNegativeInt(usage.completionTokens),
      nonNegativeInt(usage.totalTokens),
      charged,
      usage.model,
      usage.costUsd ?? null,
      nonNegativeInt(usage.latencyMs),
      usage.fallbackLevel,
    ],
  )) as unknown[];
  return rows.length > 0;
}

/** Providers report integers; estimates or clocks may not. The schema wants integers ≥ 0. */
export function nonNegativeInt(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.round(n)) : 0;
}
