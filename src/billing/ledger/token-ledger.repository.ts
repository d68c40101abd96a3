import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { returnedRows, type SqlExecutor } from '../../database/sql-executor';
import type { Balance, UsageRecord } from '../billing.types';

export type LedgerEntryType = 'credit' | 'reserve' | 'release' | 'debit' | 'adjustment' | 'refund';
export type ReleaseReason = 'unused' | 'expired' | 'duplicate';

export interface LedgerEntry {
  tenantId: string;
  type: LedgerEntryType;
  /** Positive magnitude. */
  tokens: number;
  availableDelta: number;
  reservedDelta: number;
  reason: string;
  reference?: string | null;
  reservationId?: string | null;
  purchaseId?: string | null;
  /** Running totals kept with the balance (credits / debits). */
  purchasedDelta?: number;
  usedDelta?: number;
}

export interface BalanceRow {
  available: number;
  reserved: number;
}

export interface ReservationRow {
  id: string;
  tenant_id: string;
  tokens: number;
  status: 'active' | 'settled' | 'released';
  release_reason: ReleaseReason | null;
  reference: string;
}

const RESERVATION_COLUMNS = `id, tenant_id, tokens, status, release_reason, reference`;

/**
 * The only code that names tenant_balances, token_ledger, token_reservations and token_usage in
 * SQL. Writers take the caller's transaction: every balance change and its ledger entry commit
 * together, under the balance row's lock.
 */
@Injectable()
export class TokenLedgerRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Locks the shop's balance row for the rest of the transaction, creating it at zero if the
   * shop never had one. Every writer locks the balance before any reservation row, so two
   * transactions never wait on each other in opposite orders.
   */
  async lockBalance(tx: SqlExecutor, tenantId: string): Promise<BalanceRow> {
    const select = () =>
      tx.query(`SELECT available, reserved FROM tenant_balances WHERE tenant_id = $1 FOR UPDATE`, [
        tenantId,
      ]) as Promise<BalanceRow[]>;
    let rows = await select();
    if (rows.length === 0) {
      await tx.query(
        `INSERT INTO tenant_balances (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING`,
        [tenantId],
      );
      rows = await select();
    }
    return rows[0];
  }

  /**
   * Moves the balance and appends the matching ledger entry, so available = Σ available_delta
   * and reserved = Σ reserved_delta hold after every commit. The caller holds the balance lock.
   */
  async applyEntry(tx: SqlExecutor, e: LedgerEntry): Promise<BalanceRow> {
    const after = returnedRows<BalanceRow>(
      await tx.query(
        `UPDATE tenant_balances
            SET available = available + $2, reserved = reserved + $3,
                lifetime_purchased = lifetime_purchased + $4, lifetime_used = lifetime_used + $5,
                updated_at = now()
          WHERE tenant_id = $1
          RETURNING available, reserved`,
        [e.tenantId, e.availableDelta, e.reservedDelta, e.purchasedDelta ?? 0, e.usedDelta ?? 0],
      ),
    )[0];
    await tx.query(
      `INSERT INTO token_ledger (tenant_id, entry_type, tokens, available_delta, reserved_delta,
         available_after, reserved_after, reason, reference, reservation_id, purchase_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        e.tenantId,
        e.type,
        e.tokens,
        e.availableDelta,
        e.reservedDelta,
        after.available,
        after.reserved,
        e.reason,
        e.reference ?? null,
        e.reservationId ?? null,
        e.purchaseId ?? null,
      ],
    );
    return after;
  }

  async balance(tenantId: string, executor: SqlExecutor = this.db): Promise<Balance> {
    const rows = (await executor.query(
      `SELECT available, reserved, lifetime_purchased, lifetime_used
         FROM tenant_balances WHERE tenant_id = $1`,
      [tenantId],
    )) as Record<string, number>[];
    const r = rows[0];
    return {
      available: r?.available ?? 0,
      reserved: r?.reserved ?? 0,
      lifetimePurchased: r?.lifetime_purchased ?? 0,
      lifetimeUsed: r?.lifetime_used ?? 0,
    };
  }

  /** The low-balance notice is per package bought: a new purchase re-arms it. */
  async armLowBalanceNotice(
    tx: SqlExecutor,
    tenantId: string,
    purchaseId: string,
    packageTokens: number,
  ): Promise<void> {
    await tx.query(
      `UPDATE tenant_balances SET last_purchase_id = $2, last_package_tokens = $3
        WHERE tenant_id = $1`,
      [tenantId, purchaseId, packageTokens],
    );
  }

  /**
   * True once per purchased package, when available drops under 10 % of it. The flag is set by
   * the same UPDATE that checks it, so two concurrent answers cannot both claim it.
   */
  async claimLowBalanceNotice(executor: SqlExecutor, tenantId: string): Promise<boolean> {
    const rows = returnedRows(
      await executor.query(
        `UPDATE tenant_balances SET low_balance_notified_for = last_purchase_id
          WHERE tenant_id = $1 AND last_purchase_id IS NOT NULL
            AND low_balance_notified_for IS DISTINCT FROM last_purchase_id
            AND available * 10 < last_package_tokens
          RETURNING tenant_id`,
        [tenantId],
      ),
    );
    return rows.length > 0;
  }

  async insertReservation(
    tx: SqlExecutor,
    r: { tenantId: string; tokens: number; reference: string; ttlSeconds: number },
  ): Promise<{ id: string; expiresAt: Date }> {
    const [row] = (await tx.query(
      `INSERT INTO token_reservations (tenant_id, tokens, reference, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))
       RETURNING id, expires_at`,
      [r.tenantId, r.tokens, r.reference, r.ttlSeconds],
    )) as { id: string; expires_at: Date }[];
    return { id: row.id, expiresAt: row.expires_at };
  }

  async lockReservation(tx: SqlExecutor, id: string): Promise<ReservationRow | null> {
    const rows = (await tx.query(
      `SELECT ${RESERVATION_COLUMNS} FROM token_reservations WHERE id = $1 FOR UPDATE`,
      [id],
    )) as ReservationRow[];
    return rows[0] ?? null;
  }

  /** Active reservations of one round of one message (`<wamid>:a<attempt>:r<seq>`), locked. */
  async lockActiveReservationsOfRound(
    tx: SqlExecutor,
    tenantId: string,
    inboundWamid: string,
    seq: number,
  ): Promise<ReservationRow[]> {
    return (await tx.query(
      `SELECT ${RESERVATION_COLUMNS} FROM token_reservations
        WHERE tenant_id = $1 AND status = 'active'
          AND starts_with(reference, $2) AND right(reference, length($3)) = $3
        ORDER BY created_at FOR UPDATE`,
      [tenantId, `${inboundWamid}:`, `:r${seq}`],
    )) as ReservationRow[];
  }

  async markSettled(tx: SqlExecutor, id: string, usedTokens: number): Promise<void> {
    await tx.query(
      `UPDATE token_reservations SET status = 'settled', used_tokens = $2, closed_at = now()
        WHERE id = $1`,
      [id, usedTokens],
    );
  }

  /** What an active reservation still holds, after part of it was given back. */
  async setReservedTokens(tx: SqlExecutor, id: string, tokens: number): Promise<void> {
    await tx.query(`UPDATE token_reservations SET tokens = $2 WHERE id = $1`, [id, tokens]);
  }

  async markReleased(tx: SqlExecutor, id: string, reason: ReleaseReason): Promise<void> {
    await tx.query(
      `UPDATE token_reservations SET status = 'released', release_reason = $2, closed_at = now()
        WHERE id = $1`,
      [id, reason],
    );
  }

  /** Active reservations past expires_at (their job died), oldest first. */
  async dueReservations(limit: number): Promise<{ id: string; tenantId: string }[]> {
    const rows = (await this.db.query(
      `SELECT id, tenant_id FROM token_reservations
        WHERE status = 'active' AND expires_at < now() ORDER BY expires_at LIMIT $1`,
      [limit],
    )) as { id: string; tenant_id: string }[];
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id }));
  }

  /**
   * One token_usage row; false when that call (wamid, operation, seq) was already recorded,
   * e.g. by an earlier attempt of the same job.
   */
  async insertUsage(
    tx: SqlExecutor,
    tenantId: string,
    usage: UsageRecord,
    reservationId: string | null,
    charged: number,
  ): Promise<boolean> {
    const rows = (await tx.query(
      `INSERT INTO token_usage (tenant_id, inbound_wamid, operation, seq, reservation_id,
         tokens_prompt, tokens_completion, tokens_total, tokens_charged, model, cost_usd,
         latency_ms, fallback_level, cache, tokens_saved)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
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
        usage.cache ?? false,
        nonNegativeInt(usage.tokensSaved ?? 0),
      ],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Runs `work` in a transaction of its own (for callers that are not inside one). */
  /** Tokens charged for an inbound message's answer, and whether they were refunded already. */
  async chargedFor(
    tx: SqlExecutor,
    tenantId: string,
    inboundWamid: string,
  ): Promise<{ charged: number; refunded: boolean }> {
    const [row] = (await tx.query(
      `SELECT (SELECT coalesce(sum(tokens_charged), 0)::int FROM token_usage
                WHERE tenant_id = $1 AND inbound_wamid = $2) AS charged,
              EXISTS (SELECT 1 FROM token_ledger
                WHERE entry_type = 'refund' AND reference = $2) AS refunded`,
      [tenantId, inboundWamid],
    )) as { charged: number; refunded: boolean }[];
    return row;
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }
}

/** Providers report integers; estimates or clocks may not. The schema wants integers ≥ 0. */
export function nonNegativeInt(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.round(n)) : 0;
}
