import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SqlExecutor } from '../../database/sql-executor';
import type {
  PackageInfo,
  Purchase,
  PurchaseRequest,
  PurchaseRequestStatus,
} from '../billing.types';

/** The only code that names token_packages, token_purchases and purchase_requests in SQL. */
@Injectable()
export class PackagesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(includeInactive: boolean): Promise<(PackageInfo & { active: boolean })[]> {
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

  async findActive(
    tx: SqlExecutor,
    code: string,
  ): Promise<{ code: string; tokens: number; priceCents: number } | null> {
    const rows = (await tx.query(
      `SELECT code, tokens, price_cents FROM token_packages WHERE code = $1 AND active`,
      [code],
    )) as { code: string; tokens: number; price_cents: number }[];
    const r = rows[0];
    return r ? { code: r.code, tokens: r.tokens, priceCents: r.price_cents } : null;
  }

  /** The purchase, or null when payment_ref was already used (the first insert wins). */
  async insertPurchase(
    tx: SqlExecutor,
    p: Omit<Purchase, 'id' | 'createdAt'>,
  ): Promise<Purchase | null> {
    const rows = (await tx.query(
      `INSERT INTO token_purchases (tenant_id, package_code, tokens, price_cents, payment_ref, created_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (payment_ref) DO NOTHING
       RETURNING *`,
      [p.tenantId, p.packageCode, p.tokens, p.priceCents, p.paymentRef, p.createdBy],
    )) as Record<string, unknown>[];
    return rows[0] ? toPurchase(rows[0]) : null;
  }

  async findPurchaseByRef(tx: SqlExecutor, paymentRef: string): Promise<Purchase> {
    const rows = (await tx.query(`SELECT * FROM token_purchases WHERE payment_ref = $1`, [
      paymentRef,
    ])) as Record<string, unknown>[];
    return toPurchase(rows[0]);
  }

  /** Duplicate taps on the same package are one intent to buy: all are fulfilled. */
  async confirmPendingRequests(tx: SqlExecutor, purchase: Purchase): Promise<void> {
    await tx.query(
      `UPDATE purchase_requests SET status = 'confirmed', purchase_id = $3, updated_at = now()
        WHERE tenant_id = $1 AND package_code = $2 AND status = 'pending'`,
      [purchase.tenantId, purchase.packageCode, purchase.id],
    );
  }

  /** One request per inbound message, so a retried job does not ask twice. */
  async insertRequest(r: {
    tenantId: string;
    packageCode: string;
    waId: string;
    inboundWamid: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO purchase_requests (tenant_id, package_code, requested_by_wa_id, inbound_wamid)
       VALUES ($1, $2, $3, $4) ON CONFLICT (inbound_wamid) DO NOTHING`,
      [r.tenantId, r.packageCode, r.waId, r.inboundWamid],
    );
  }

  async listRequests(status: PurchaseRequestStatus, limit: number): Promise<PurchaseRequest[]> {
    const rows = (await this.db.query(
      `SELECT r.id, r.tenant_id, r.package_code, p.name AS package_name, p.tokens, p.price_cents,
              r.requested_by_wa_id, r.inbound_wamid, r.status, r.purchase_id, r.created_at,
              r.updated_at
         FROM purchase_requests r
         JOIN token_packages p ON p.code = r.package_code
        WHERE r.status = $1 ORDER BY r.created_at DESC, r.id LIMIT $2`,
      [status, limit],
    )) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: r.id as string,
      tenantId: r.tenant_id as string,
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
