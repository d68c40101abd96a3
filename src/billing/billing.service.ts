import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { Counter } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { Metrics } from '../observability/metrics';
import type { OutgoingMessage } from '../whatsapp/graph-api.types';
import {
  balanceText,
  lowBalanceText,
  OUT_OF_TOKENS_TEXT,
  type PackageInfo,
  packagesList,
  purchaseRequestedText,
  UNKNOWN_PACKAGE_TEXT,
} from './billing-messages';
import {
  type Balance,
  MIN_REPLY_TOKENS,
  type RoundPlan,
  type SettleResult,
  type TokenReservation,
  type UnchargedUsage,
  type UsageRecord,
} from './billing.types';
import { applyEntry, lockBalance } from './ledger';
import { estimatePromptTokens } from './token-estimate';
import { insertUsage, nonNegativeInt } from './usage-writer';

export type { Balance, TokenReservation, UsageRecord, UnchargedUsage } from './billing.types';

type ReleaseReason = 'unused' | 'expired' | 'duplicate';

interface ReservationRow {
  id: string;
  tenant_id: string;
  tokens: number;
  status: 'active' | 'settled' | 'released';
  release_reason: ReleaseReason | null;
  reference: string;
}

/**
 * Prepaid tokens: reserve before an LLM round, settle with the real usage after it, give back
 * what was not used. Every change to a balance is one ledger entry written in the same
 * transaction, under the balance row's lock, so the ledger always explains the balance.
 */
@Injectable()
export class BillingService {
  private readonly log = new Logger(BillingService.name);
  private readonly shortfallTokens?: Counter;
  private readonly releasedExpired?: Counter;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() metrics?: Metrics,
  ) {
    if (metrics) {
      this.shortfallTokens = new Counter({
        name: 'billing_shortfall_tokens_total',
        help: 'Tokens used beyond what the shop had left (written off as adjustments)',
        registers: [metrics.registry],
      });
      this.releasedExpired = new Counter({
        name: 'billing_reservations_expired_total',
        help: 'Reservations released by the sweeper because their job never settled them',
        registers: [metrics.registry],
      });
    }
  }

  estimateTokens(messages: ChatCompletionMessageParam[], tools: ChatCompletionTool[]): number {
    return estimatePromptTokens(messages, tools);
  }

  /**
   * Reserves the prompt plus the largest reply the balance allows (capped by `ceiling`). Below
   * MIN_REPLY_TOKENS of room nothing is reserved: the shop is out of tokens for this round.
   */
  async planRound(
    tenantId: string,
    round: { promptTokens: number; ceiling: number; reference: string },
  ): Promise<RoundPlan> {
    const prompt = nonNegativeInt(round.promptTokens);
    return this.db.transaction(async (tx) => {
      const balance = await lockBalance(tx, tenantId);
      const maxTokens = Math.min(Math.floor(round.ceiling), balance.available - prompt);
      if (maxTokens < MIN_REPLY_TOKENS) return { insufficient: true, available: balance.available };
      const tokens = prompt + maxTokens;
      const [row] = (await tx.query(
        `INSERT INTO token_reservations (tenant_id, tokens, reference, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4))
         RETURNING id, expires_at`,
        [tenantId, tokens, round.reference, this.config.BILLING_RESERVATION_TTL_SECONDS],
      )) as { id: string; expires_at: Date }[];
      await applyEntry(tx, {
        tenantId,
        type: 'reserve',
        tokens,
        availableDelta: -tokens,
        reservedDelta: tokens,
        reason: 'llm round',
        reference: round.reference,
        reservationId: row.id,
      });
      const reservation: TokenReservation = {
        id: row.id,
        tenantId,
        tokens,
        reference: round.reference,
        expiresAt: row.expires_at,
      };
      return { reservation, maxTokens };
    });
  }

  /**
   * Charges one round inside the caller's transaction: debit exactly totalTokens (reserved
   * first, then available), give back the rest, record the usage. Idempotent: a reservation
   * already settled or released (other than by expiry) is left alone, and a call whose usage
   * is already recorded is not charged again. A reservation the sweeper released as expired
   * is still charged (late), from available.
   */
  async settle(
    tx: EntityManager,
    reservation: TokenReservation,
    usage: UsageRecord,
  ): Promise<SettleResult> {
    const skipped: SettleResult = { charged: 0, shortfall: 0, skipped: true };
    const balance = await lockBalance(tx, reservation.tenantId);
    const row = await this.lockReservation(tx, reservation.id);
    if (!row) {
      this.log.warn(`settle: reservation ${reservation.id} does not exist`);
      return skipped;
    }
    const late = row.status === 'released' && row.release_reason === 'expired';
    if (row.status !== 'active' && !late) return skipped;

    const total = nonNegativeInt(usage.totalTokens);
    const held = row.status === 'active' ? row.tokens : 0;
    const fromReserved = Math.min(total, held);
    const fromAvailable = Math.min(total - fromReserved, balance.available);
    const shortfall = total - fromReserved - fromAvailable;
    const charged = fromReserved + fromAvailable;

    if (!(await insertUsage(tx, row.tenant_id, usage, row.id, charged))) {
      if (row.status === 'active') await this.releaseLocked(tx, row, 'duplicate');
      return skipped;
    }
    const base = { tenantId: row.tenant_id, reference: row.reference, reservationId: row.id };
    if (charged > 0) {
      await applyEntry(tx, {
        ...base,
        type: 'debit',
        tokens: charged,
        availableDelta: -fromAvailable,
        reservedDelta: -fromReserved,
        reason: `${usage.operation} ${usage.model}`,
        usedDelta: charged,
      });
    }
    if (held > fromReserved) {
      const unused = held - fromReserved;
      await applyEntry(tx, {
        ...base,
        type: 'release',
        tokens: unused,
        availableDelta: unused,
        reservedDelta: -unused,
        reason: 'unused part of the reservation',
      });
    }
    if (shortfall > 0) {
      // The balance cannot go below zero: the overrun is written off, on the record.
      await applyEntry(tx, {
        ...base,
        type: 'adjustment',
        tokens: shortfall,
        availableDelta: 0,
        reservedDelta: 0,
        reason: `shortfall: used ${total}, reserved ${held}, balance covered ${charged}`,
      });
      this.shortfallTokens?.inc(shortfall);
      this.log.warn(
        `Tenant ${row.tenant_id} used ${total} tokens on ${row.reference}; ${shortfall} could not be charged`,
      );
    }
    await tx.query(
      `UPDATE token_reservations SET status = 'settled', used_tokens = $2, closed_at = now()
        WHERE id = $1`,
      [row.id, total],
    );
    return { charged, shortfall, skipped: false };
  }

  /** Gives back a reservation whose round was never charged (the call failed). Idempotent. */
  async release(reservation: TokenReservation): Promise<void> {
    await this.db.transaction(async (tx) => {
      await lockBalance(tx, reservation.tenantId);
      const row = await this.lockReservation(tx, reservation.id);
      if (row?.status === 'active') await this.releaseLocked(tx, row, 'unused');
    });
  }

  /**
   * Records a call without charging it (the answer fell back to level 2) and frees the
   * round's reservation in the same transaction.
   */
  async recordUsage(tx: EntityManager, usage: UnchargedUsage): Promise<void> {
    const reservations = await this.reservationsOf(tx, usage);
    await insertUsage(tx, usage.tenantId, usage, reservations[0]?.id ?? null, 0);
    for (const row of reservations) {
      if (row.status === 'active') await this.releaseLocked(tx, row, 'unused');
    }
  }

  /** Releases reservations past expires_at (their job died); returns how many. */
  async releaseExpired(limit = 200): Promise<number> {
    const due = (await this.db.query(
      `SELECT id, tenant_id FROM token_reservations
        WHERE status = 'active' AND expires_at < now() ORDER BY expires_at LIMIT $1`,
      [limit],
    )) as { id: string; tenant_id: string }[];
    let released = 0;
    for (const r of due) {
      const done = await this.db.transaction(async (tx) => {
        await lockBalance(tx, r.tenant_id);
        const row = await this.lockReservation(tx, r.id);
        // Settled or released meanwhile by its own job: nothing to do.
        if (row?.status !== 'active') return false;
        await this.releaseLocked(tx, row, 'expired');
        return true;
      });
      if (done) released++;
    }
    if (released > 0) {
      this.releasedExpired?.inc(released);
      this.log.warn(`Released ${released} expired token reservation(s)`);
    }
    return released;
  }

  async getBalance(tenantId: string): Promise<Balance> {
    const rows = (await this.db.query(
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

  async balanceMessage(tenantId: string): Promise<string> {
    return balanceText((await this.getBalance(tenantId)).available);
  }

  outOfTokensNotice(): Promise<string> {
    return Promise.resolve(OUT_OF_TOKENS_TEXT);
  }

  lowBalanceNotice(balance: Balance): string {
    return lowBalanceText(balance);
  }

  async listPackages(includeInactive = false): Promise<(PackageInfo & { active: boolean })[]> {
    const rows = (await this.db.query(
      `SELECT code, name, tokens, price_cents, active FROM token_packages
        WHERE active OR $1 ORDER BY sort_order, tokens`,
      [includeInactive],
    )) as { code: string; name: string; tokens: number; price_cents: number; active: boolean }[];
    return rows.map((r) => ({
      code: r.code,
      name: r.name,
      tokens: r.tokens,
      priceCents: r.price_cents,
      active: r.active,
    }));
  }

  async packagesListMessage(): Promise<OutgoingMessage> {
    return packagesList(await this.listPackages());
  }

  /**
   * The owner picked a package in WhatsApp: note it for an admin to confirm once paid. One
   * request per inbound message, so a retried job does not ask twice.
   */
  async recordPurchaseRequest(
    tenantId: string,
    packageCode: string,
    waId: string,
    inboundWamid: string,
  ): Promise<string> {
    const pkg = (await this.listPackages()).find((p) => p.code === packageCode);
    if (!pkg) return UNKNOWN_PACKAGE_TEXT;
    await this.db.query(
      `INSERT INTO purchase_requests (tenant_id, package_code, requested_by_wa_id, inbound_wamid)
       VALUES ($1, $2, $3, $4) ON CONFLICT (inbound_wamid) DO NOTHING`,
      [tenantId, pkg.code, waId, inboundWamid],
    );
    return purchaseRequestedText(pkg);
  }

  /**
   * True once per purchased package, when available drops under 10 % of it. The flag is set
   * by the same UPDATE that checks it, so two concurrent answers cannot both send it.
   */
  async shouldSendLowBalanceNotice(tenantId: string): Promise<boolean> {
    const [rows] = (await this.db.query(
      `UPDATE tenant_balances SET low_balance_notified_for = last_purchase_id
        WHERE tenant_id = $1 AND last_purchase_id IS NOT NULL
          AND low_balance_notified_for IS DISTINCT FROM last_purchase_id
          AND available * 10 < last_package_tokens
        RETURNING tenant_id`,
      [tenantId],
    )) as [unknown[], number];
    return rows.length > 0;
  }

  private async lockReservation(tx: EntityManager, id: string): Promise<ReservationRow | null> {
    const rows = (await tx.query(
      `SELECT id, tenant_id, tokens, status, release_reason, reference
         FROM token_reservations WHERE id = $1 FOR UPDATE`,
      [id],
    )) as ReservationRow[];
    return rows[0] ?? null;
  }

  /** The caller holds the balance lock and has checked the reservation is active. */
  private async releaseLocked(
    tx: EntityManager,
    row: ReservationRow,
    reason: ReleaseReason,
  ): Promise<void> {
    await applyEntry(tx, {
      tenantId: row.tenant_id,
      type: 'release',
      tokens: row.tokens,
      availableDelta: row.tokens,
      reservedDelta: -row.tokens,
      reason: `reservation ${reason}`,
      reference: row.reference,
      reservationId: row.id,
    });
    await tx.query(
      `UPDATE token_reservations SET status = 'released', release_reason = $2, closed_at = now()
        WHERE id = $1`,
      [row.id, reason],
    );
    row.status = 'released';
  }

  /** The reservation(s) of an uncharged round, locked (balance first, as everywhere). */
  private async reservationsOf(
    tx: EntityManager,
    usage: UnchargedUsage,
  ): Promise<ReservationRow[]> {
    await lockBalance(tx, usage.tenantId);
    if (usage.reservation) {
      const row = await this.lockReservation(tx, usage.reservation.id);
      return row ? [row] : [];
    }
    if (!usage.inboundWamid) return [];
    return (await tx.query(
      `SELECT id, tenant_id, tokens, status, release_reason, reference
         FROM token_reservations
        WHERE tenant_id = $1 AND status = 'active'
          AND starts_with(reference, $2) AND right(reference, length($3)) = $3
        ORDER BY created_at FOR UPDATE`,
      [usage.tenantId, `${usage.inboundWamid}:`, `:r${usage.seq}`],
    )) as ReservationRow[];
  }
}
