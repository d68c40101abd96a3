import type { EntityManager } from 'typeorm';

export type LedgerEntryType = 'credit' | 'reserve' | 'release' | 'debit' | 'adjustment';

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

/**
 * Locks the shop's balance row for the rest of the transaction, creating it at zero if the
 * shop never had one. Every writer locks the balance before any reservation row, so two
 * transactions never wait on each other in opposite orders.
 */
export async function lockBalance(tx: EntityManager, tenantId: string): Promise<BalanceRow> {
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
 * Moves the balance and appends the matching ledger entry in the same transaction, so
 * available = Σ available_delta and reserved = Σ reserved_delta hold after every commit.
 * The caller must hold the balance lock (lockBalance).
 */
export async function applyEntry(tx: EntityManager, e: LedgerEntry): Promise<BalanceRow> {
  const [rows] = (await tx.query(
    `UPDATE tenant_balances
        SET available = available + $2, reserved = reserved + $3,
            lifetime_purchased = lifetime_purchased + $4, lifetime_used = lifetime_used + $5,
            updated_at = now()
      WHERE tenant_id = $1
      RETURNING available, reserved`,
    [e.tenantId, e.availableDelta, e.reservedDelta, e.purchasedDelta ?? 0, e.usedDelta ?? 0],
  )) as [BalanceRow[], number];
  const after = rows[0];
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
