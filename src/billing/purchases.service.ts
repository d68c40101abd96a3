import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { applyEntry, lockBalance } from './ledger';

export interface Purchase {
  id: string;
  tenantId: string;
  packageCode: string;
  tokens: number;
  priceCents: number;
  paymentRef: string;
  createdBy: string;
  createdAt: Date;
}

export interface PurchaseOutcome {
  purchase: Purchase;
  /** False when this payment was already credited (same tenant and package). */
  created: boolean;
}

export type PurchaseRequestStatus = 'pending' | 'confirmed' | 'cancelled';

export class UnknownPackageError extends Error {
  override name = 'UnknownPackageError';
}

/** The payment reference already credited another shop or another package. */
export class PaymentRefConflictError extends Error {
  override name = 'PaymentRefConflictError';
}

/** Selling packages: one payment credits once, whoever retries and however fast. */
@Injectable()
export class PurchasesService {
  private readonly log = new Logger(PurchasesService.name);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Credits a package bought with `paymentRef`. payment_ref is UNIQUE: the first insert wins
   * and concurrent duplicates wait for it, then find its row. The same payment for the same
   * shop and package is the same purchase (created: false); anything else is a conflict.
   * Pending WhatsApp requests for that package are confirmed by it.
   */
  async purchase(input: {
    tenantId: string;
    packageCode: string;
    paymentRef: string;
    createdBy: string;
  }): Promise<PurchaseOutcome> {
    return this.db.transaction(async (tx) => {
      const pkgs = (await tx.query(
        `SELECT code, tokens, price_cents FROM token_packages WHERE code = $1 AND active`,
        [input.packageCode],
      )) as { code: string; tokens: number; price_cents: number }[];
      const pkg = pkgs[0];
      if (!pkg) throw new UnknownPackageError(`No active package "${input.packageCode}"`);

      const inserted = (await tx.query(
        `INSERT INTO token_purchases (tenant_id, package_code, tokens, price_cents, payment_ref, created_by)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (payment_ref) DO NOTHING
         RETURNING *`,
        [input.tenantId, pkg.code, pkg.tokens, pkg.price_cents, input.paymentRef, input.createdBy],
      )) as Record<string, unknown>[];
      if (inserted.length === 0) {
        const existing = await this.findByPaymentRef(tx, input.paymentRef);
        if (existing.tenantId !== input.tenantId || existing.packageCode !== input.packageCode) {
          throw new PaymentRefConflictError(
            `Payment ${input.paymentRef} was already used for another shop or package`,
          );
        }
        return { purchase: existing, created: false };
      }
      const purchase = toPurchase(inserted[0]);
      await lockBalance(tx, input.tenantId);
      await applyEntry(tx, {
        tenantId: input.tenantId,
        type: 'credit',
        tokens: purchase.tokens,
        availableDelta: purchase.tokens,
        reservedDelta: 0,
        reason: `package ${purchase.packageCode}`,
        reference: purchase.paymentRef,
        purchaseId: purchase.id,
        purchasedDelta: purchase.tokens,
      });
      // The low-balance notice is per package bought: a new purchase re-arms it.
      await tx.query(
        `UPDATE tenant_balances SET last_purchase_id = $2, last_package_tokens = $3
          WHERE tenant_id = $1`,
        [input.tenantId, purchase.id, purchase.tokens],
      );
      // Duplicate taps on the same package are one intent to buy: all are fulfilled.
      await tx.query(
        `UPDATE purchase_requests SET status = 'confirmed', purchase_id = $3, updated_at = now()
          WHERE tenant_id = $1 AND package_code = $2 AND status = 'pending'`,
        [input.tenantId, purchase.packageCode, purchase.id],
      );
      this.log.log(
        `Tenant ${input.tenantId} bought ${purchase.packageCode} (${purchase.tokens} tokens), payment ${purchase.paymentRef}`,
      );
      return { purchase, created: true };
    });
  }

  async listRequests(status: PurchaseRequestStatus, limit: number) {
    const rows = (await this.db.query(
      `SELECT r.id, r.tenant_id, t.name AS tenant_name, r.package_code, p.name AS package_name,
              p.tokens, p.price_cents, r.requested_by_wa_id, r.inbound_wamid, r.status,
              r.purchase_id, r.created_at, r.updated_at
         FROM purchase_requests r
         JOIN tenants t ON t.id = r.tenant_id
         JOIN token_packages p ON p.code = r.package_code
        WHERE r.status = $1 ORDER BY r.created_at DESC, r.id LIMIT $2`,
      [status, limit],
    )) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: r.id as string,
      tenantId: r.tenant_id as string,
      tenantName: r.tenant_name as string,
      packageCode: r.package_code as string,
      packageName: r.package_name as string,
      tokens: r.tokens as number,
      priceCents: r.price_cents as number,
      requestedByWaId: r.requested_by_wa_id as string,
      inboundWamid: r.inbound_wamid as string | null,
      status: r.status as PurchaseRequestStatus,
      purchaseId: r.purchase_id as string | null,
      createdAt: r.created_at as Date,
      updatedAt: r.updated_at as Date,
    }));
  }

  private async findByPaymentRef(
    tx: { query: DataSource['query'] },
    paymentRef: string,
  ): Promise<Purchase> {
    const rows = (await tx.query(`SELECT * FROM token_purchases WHERE payment_ref = $1`, [
      paymentRef,
    ])) as Record<string, unknown>[];
    return toPurchase(rows[0]);
  }
}

function toPurchase(r: Record<string, unknown>): Purchase {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    packageCode: r.package_code as string,
    tokens: r.tokens as number,
    priceCents: r.price_cents as number,
    paymentRef: r.payment_ref as string,
    createdBy: r.created_by as string,
    createdAt: r.created_at as Date,
  };
}
