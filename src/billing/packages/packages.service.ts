import { Injectable, Logger } from '@nestjs/common';
import { PaymentRefConflictError, UnknownPackageError } from '../billing.errors';
import type {
  PackageInfo,
  PurchaseOutcome,
  PurchaseRequest,
  PurchaseRequestStatus,
} from '../billing.types';
import { TokenLedgerRepository } from '../ledger/token-ledger.repository';
import { PackagesRepository } from './packages.repository';
import { normalizePaymentRef } from './payment-ref';

/** The package catalogue and selling it: one payment credits once, whoever retries and however fast. */
@Injectable()
export class PackagesService {
  private readonly log = new Logger(PackagesService.name);

  constructor(
    private readonly repo: PackagesRepository,
    private readonly ledger: TokenLedgerRepository,
  ) {}

  listPackages(includeInactive = false): Promise<(PackageInfo & { active: boolean })[]> {
    return this.repo.list(includeInactive);
  }

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
    // Idempotency is on the normalized reference, whoever calls (admin API, scripts).
    input = { ...input, paymentRef: normalizePaymentRef(input.paymentRef) };
    return this.ledger.transaction(async (tx) => {
      const pkg = await this.repo.findActive(tx, input.packageCode);
      if (!pkg) throw new UnknownPackageError(input.packageCode);

      const purchase = await this.repo.insertPurchase(tx, {
        tenantId: input.tenantId,
        packageCode: pkg.code,
        tokens: pkg.tokens,
        priceCents: pkg.priceCents,
        paymentRef: input.paymentRef,
        createdBy: input.createdBy,
      });
      if (!purchase) {
        const existing = await this.repo.findPurchaseByRef(tx, input.paymentRef);
        if (existing.tenantId !== input.tenantId || existing.packageCode !== input.packageCode) {
          throw new PaymentRefConflictError(
            `Payment ${input.paymentRef} was already used for another shop or package`,
          );
        }
        return { purchase: existing, created: false };
      }
      await this.ledger.lockBalance(tx, input.tenantId);
      await this.ledger.applyEntry(tx, {
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
      await this.ledger.armLowBalanceNotice(tx, input.tenantId, purchase.id, purchase.tokens);
      await this.repo.confirmPendingRequests(tx, purchase);
      this.log.log(
        `Tenant ${input.tenantId} bought ${purchase.packageCode} (${purchase.tokens} tokens), payment ${purchase.paymentRef}`,
      );
      return { purchase, created: true };
    });
  }

  /** A purchase as the admin API answers it: the outcome and the shop's balance after it. */
  async sell(input: Parameters<PackagesService['purchase']>[0]) {
    const outcome = await this.purchase(input);
    return { ...outcome, balance: await this.ledger.balance(input.tenantId) };
  }

  /**
   * The owner picked a package in WhatsApp: note it for an admin to confirm once paid. One
   * request per inbound message, so a retried job does not ask twice. Null for an unknown code.
   */
  async requestPurchase(r: {
    tenantId: string;
    packageCode: string;
    waId: string;
    inboundWamid: string;
  }): Promise<PackageInfo | null> {
    const pkg = (await this.repo.list(false)).find((p) => p.code === r.packageCode);
    if (!pkg) return null;
    await this.repo.insertRequest({ ...r, packageCode: pkg.code });
    return pkg;
  }

  listRequests(status: PurchaseRequestStatus, limit: number): Promise<PurchaseRequest[]> {
    return this.repo.listRequests(status, limit);
  }
}
