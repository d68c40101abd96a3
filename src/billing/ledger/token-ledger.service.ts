import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config.module';
import type { SqlExecutor } from '../../database/sql-executor';
import { MetricsService } from '../../observability/metrics.service';
import {
  type AnswerCharge,
  type Balance,
  type CommitResult,
  MIN_REPLY_TOKENS,
  type RoundCharge,
  type RoundPlan,
  type SettleResult,
  type TokenReservation,
  type UnchargedUsage,
  type UsageRecord,
} from '../billing.types';
import {
  nonNegativeInt,
  type ReleaseReason,
  type ReservationRow,
  TokenLedgerRepository,
} from './token-ledger.repository';

/**
 * Prepaid tokens: reserve before an LLM round, settle with the real usage after it, give back
 * what was not used. Every change to a balance is one ledger entry written in the same
 * transaction, under the balance row's lock, so the ledger always explains the balance.
 */
@Injectable()
export class TokenLedgerService {
  private readonly log = new Logger(TokenLedgerService.name);

  constructor(
    private readonly repo: TokenLedgerRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Reserves the prompt plus the largest reply the balance allows (capped by `ceiling`). Below
   * MIN_REPLY_TOKENS of room (or the whole ceiling, when it is smaller) nothing is reserved:
   * the shop is out of tokens for this round.
   */
  async reserveRound(
    tenantId: string,
    round: { promptTokens: number; ceiling: number; reference: string },
  ): Promise<RoundPlan> {
    const prompt = nonNegativeInt(round.promptTokens);
    return this.repo.transaction(async (tx) => {
      const balance = await this.repo.lockBalance(tx, tenantId);
      const ceiling = Math.floor(round.ceiling);
      const maxTokens = Math.min(ceiling, balance.available - prompt);
      // A call that never needs more than a few tokens (a classification) is held to its own
      // ceiling, not to the floor of an answer.
      if (maxTokens < Math.min(MIN_REPLY_TOKENS, ceiling)) {
        return { insufficient: true, available: balance.available };
      }
      const tokens = prompt + maxTokens;
      const row = await this.repo.insertReservation(tx, {
        tenantId,
        tokens,
        reference: round.reference,
        ttlSeconds: this.config.BILLING_RESERVATION_TTL_SECONDS,
      });
      await this.repo.applyEntry(tx, {
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
        expiresAt: row.expiresAt,
      };
      return { reservation, maxTokens };
    });
  }

  /**
   * Once a round's usage is known, its reservation keeps only what the round used and gives
   * the rest back, in a transaction of its own, before the next round reserves: a two-round
   * answer on a small balance must not find round 1 still holding the reply it never wrote.
   * The reservation stays active (the charge is committed with the reply, or the sweeper frees
   * it if the job dies), so a crash between rounds never charges and never loses tokens.
   * Returns the reservation as it now stands; an overrun (used > held) keeps everything, and
   * settleRound takes the rest from available.
   */
  async shrinkRound(reservation: TokenReservation, usedTokens: number): Promise<TokenReservation> {
    // A reservation holds at least one token (CHECK tokens > 0); settle gives that one back.
    const keep = Math.max(1, nonNegativeInt(usedTokens));
    return this.repo.transaction(async (tx) => {
      await this.repo.lockBalance(tx, reservation.tenantId);
      const row = await this.repo.lockReservation(tx, reservation.id);
      if (row?.status !== 'active' || row.tokens <= keep) {
        return row ? { ...reservation, tokens: row.tokens } : reservation;
      }
      const unused = row.tokens - keep;
      await this.repo.applyEntry(tx, {
        tenantId: row.tenant_id,
        type: 'release',
        tokens: unused,
        availableDelta: unused,
        reservedDelta: -unused,
        reason: 'unused part of the reservation (round done)',
        reference: row.reference,
        reservationId: row.id,
      });
      await this.repo.setReservedTokens(tx, row.id, keep);
      return { ...reservation, tokens: keep };
    });
  }

  /** Gives back a reservation whose round was never charged (the call failed). Idempotent. */
  async releaseRound(reservation: TokenReservation): Promise<void> {
    await this.repo.transaction(async (tx) => {
      await this.repo.lockBalance(tx, reservation.tenantId);
      const row = await this.repo.lockReservation(tx, reservation.id);
      if (row?.status === 'active') await this.releaseLocked(tx, row, 'unused');
    });
  }

  /**
   * What an answer costs, inside the caller's transaction (with the reply and the turn): the
   * charged rounds are settled, the uncharged ones recorded and their reservations freed, and
   * the once-per-package low-balance notice is claimed when this answer paid for something.
   */
  /**
   * Gives back what an answer cost when Meta never received it (the send failed for good).
   * At most once per inbound message (checked under the balance lock, and a unique index):
   * a replayed failure refunds nothing more. Returns the tokens refunded.
   */
  async refundUndelivered(tenantId: string, inboundWamid: string): Promise<number> {
    return this.repo.transaction(async (tx) => {
      await this.repo.lockBalance(tx, tenantId);
      const { charged, refunded } = await this.repo.chargedFor(tx, tenantId, inboundWamid);
      if (refunded || charged <= 0) return 0;
      await this.repo.applyEntry(tx, {
        tenantId,
        type: 'refund',
        tokens: charged,
        availableDelta: charged,
        reservedDelta: 0,
        usedDelta: -charged,
        reason: 'reply never delivered',
        reference: inboundWamid,
      });
      return charged;
    });
  }

  async commitCharge(tx: SqlExecutor, charge: AnswerCharge): Promise<CommitResult> {
    for (const round of charge.charged) {
      await this.settleRound(tx, round.reservation, usageOf(charge, round));
    }
    for (const round of charge.uncharged) {
      await this.recordUsage(
        { ...usageOf(charge, round), tenantId: charge.tenantId, reservation: round.reservation },
        tx,
      );
    }
    if (charge.cacheHit) await this.recordCacheHit(tx, charge);
    if (charge.charged.length === 0) return { lowBalance: null };
    const claimed = await this.repo.claimLowBalanceNotice(tx, charge.tenantId);
    return { lowBalance: claimed ? await this.repo.balance(charge.tenantId, tx) : null };
  }

  /**
   * Charges one round inside the caller's transaction: debit exactly totalTokens (reserved
   * first, then available), give back the rest, record the usage. Idempotent: a reservation
   * already settled or released (other than by expiry) is left alone, and a call whose usage
   * is already recorded is not charged again. A reservation the sweeper released as expired
   * is still charged (late), from available.
   */
  async settleRound(
    tx: SqlExecutor,
    reservation: TokenReservation,
    usage: UsageRecord,
  ): Promise<SettleResult> {
    const skipped: SettleResult = { charged: 0, shortfall: 0, skipped: true };
    const balance = await this.repo.lockBalance(tx, reservation.tenantId);
    const row = await this.repo.lockReservation(tx, reservation.id);
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

    if (!(await this.repo.insertUsage(tx, row.tenant_id, usage, row.id, charged))) {
      if (row.status === 'active') await this.releaseLocked(tx, row, 'duplicate');
      return skipped;
    }
    const base = { tenantId: row.tenant_id, reference: row.reference, reservationId: row.id };
    if (charged > 0) {
      await this.repo.applyEntry(tx, {
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
      await this.repo.applyEntry(tx, {
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
      await this.repo.applyEntry(tx, {
        ...base,
        type: 'adjustment',
        tokens: shortfall,
        availableDelta: 0,
        reservedDelta: 0,
        reason: `shortfall: used ${total}, reserved ${held}, balance covered ${charged}`,
      });
      this.metrics.billingShortfallTokens.inc(shortfall);
      this.log.warn(
        `Tenant ${row.tenant_id} used ${total} tokens on ${row.reference}; ${shortfall} could not be charged`,
      );
    }
    await this.repo.markSettled(tx, row.id, total);
    return { charged, shortfall, skipped: false };
  }

  /**
   * Records a call without charging it (the answer fell back to level 2, or an operator's
   * test call) and frees the round's reservation, in the caller's transaction or its own.
   */
  async recordUsage(usage: UnchargedUsage, tx?: SqlExecutor): Promise<void> {
    if (!tx) return this.repo.transaction((own) => this.recordUsage(usage, own));
    const reservations = await this.reservationsOf(tx, usage);
    await this.repo.insertUsage(tx, usage.tenantId, usage, reservations[0]?.id ?? null, 0);
    for (const row of reservations) {
      if (row.status === 'active') await this.releaseLocked(tx, row, 'unused');
    }
  }

  /**
   * An answer served from the response cache: one 'chat' row with 0 tokens, 0 charged and
   * cache = true (seq after the answer's other rounds), so the report counts hits and savings.
   */
  private async recordCacheHit(tx: SqlExecutor, charge: AnswerCharge): Promise<void> {
    const hit = charge.cacheHit!;
    const seq =
      Math.max(0, ...charge.charged.map((r) => r.seq), ...charge.uncharged.map((r) => r.seq)) + 1;
    await this.repo.insertUsage(
      tx,
      charge.tenantId,
      {
        promptTokens: 0,
        completionTokens: 0,
        totalTokens: 0,
        model: hit.model,
        operation: 'chat',
        costUsd: 0,
        latencyMs: 0,
        fallbackLevel: charge.fallbackLevel,
        inboundWamid: charge.inboundWamid,
        seq,
        cache: true,
        tokensSaved: hit.savedTokens,
      },
      null,
      0,
    );
  }

  /** Releases reservations past expires_at (their job died); returns how many. */
  async releaseExpired(limit = 200): Promise<number> {
    let released = 0;
    for (const due of await this.repo.dueReservations(limit)) {
      const done = await this.repo.transaction(async (tx) => {
        await this.repo.lockBalance(tx, due.tenantId);
        const row = await this.repo.lockReservation(tx, due.id);
        // Settled or released meanwhile by its own job: nothing to do.
        if (row?.status !== 'active') return false;
        await this.releaseLocked(tx, row, 'expired');
        return true;
      });
      if (done) released++;
    }
    if (released > 0) {
      this.metrics.billingReservationsExpired.inc(released);
      this.log.warn(`Released ${released} expired token reservation(s)`);
    }
    return released;
  }

  getBalance(tenantId: string): Promise<Balance> {
    return this.repo.balance(tenantId);
  }

  /** True once per purchased package, when available drops under 10 % of it. */
  claimLowBalanceNotice(tenantId: string): Promise<boolean> {
    return this.repo.transaction((tx) => this.repo.claimLowBalanceNotice(tx, tenantId));
  }

  /** The caller holds the balance lock and has checked the reservation is active. */
  private async releaseLocked(
    tx: SqlExecutor,
    row: ReservationRow,
    reason: ReleaseReason,
  ): Promise<void> {
    await this.repo.applyEntry(tx, {
      tenantId: row.tenant_id,
      type: 'release',
      tokens: row.tokens,
      availableDelta: row.tokens,
      reservedDelta: -row.tokens,
      reason: `reservation ${reason}`,
      reference: row.reference,
      reservationId: row.id,
    });
    await this.repo.markReleased(tx, row.id, reason);
    row.status = 'released';
  }

  /** The reservation(s) of an uncharged round, locked (balance first, as everywhere). */
  private async reservationsOf(tx: SqlExecutor, usage: UnchargedUsage): Promise<ReservationRow[]> {
    await this.repo.lockBalance(tx, usage.tenantId);
    if (usage.reservation) {
      const row = await this.repo.lockReservation(tx, usage.reservation.id);
      return row ? [row] : [];
    }
    if (!usage.inboundWamid) return [];
    return this.repo.lockActiveReservationsOfRound(
      tx,
      usage.tenantId,
      usage.inboundWamid,
      usage.seq,
    );
  }
}

function usageOf(charge: AnswerCharge, round: RoundCharge): UsageRecord {
  return {
    promptTokens: round.usage.promptTokens,
    completionTokens: round.usage.completionTokens,
    totalTokens: round.usage.totalTokens,
    model: round.model,
    operation: round.operation ?? charge.operation,
    costUsd: round.usage.costUsd,
    latencyMs: round.latencyMs,
    fallbackLevel: charge.fallbackLevel,
    inboundWamid: charge.inboundWamid,
    seq: round.seq,
  };
}
