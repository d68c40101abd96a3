import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../../database/sql-executor';
import {
  type LockedProduct,
  type MovementRow,
  StoreWritesRepository,
} from '../repositories/store-writes.repository';
import type {
  MovementReason,
  RecordedPriceChange,
  RecordedSale,
  RecordedStockMove,
  ReversedWrite,
  SaleLineInput,
  StockMoveInput,
  StockMoveKind,
  StockShortage,
  WriteOutcome,
} from '../store.types';

export interface WriteOptions {
  /** The pending action the write executes: its rows carry its id, so it can be undone. */
  actionId: string | null;
  /** The shop lets stock go below zero (tenants.allow_negative_stock). */
  allowNegativeStock: boolean;
}

/**
 * Writes to the shop's books, inside the caller's transaction: a sale with its lines and
 * stock movements, a stock movement, a count, a price change (the old price kept), and the
 * compensating rows that take one of them back. Nothing is deleted, ever.
 */
@Injectable()
export class StoreWritesService {
  constructor(private readonly repo: StoreWritesRepository) {}

  async recordSale(
    tx: SqlExecutor,
    tenantId: string,
    lines: readonly SaleLineInput[],
    options: WriteOptions,
  ): Promise<WriteOutcome<RecordedSale>> {
    const products = await this.repo.lockProducts(
      tx,
      tenantId,
      lines.map((l) => l.productId),
    );
    const missing = lines.filter((l) => !products.has(l.productId)).map((l) => l.productId);
    if (missing.length > 0) return { ok: false, reason: 'product_missing', productIds: missing };
    const requested = sumByProduct(
      lines.map((l) => ({ productId: l.productId, delta: l.quantity })),
    );
    if (!options.allowNegativeStock) {
      const shortages = shortagesOf(products, requested);
      if (shortages.length > 0) return { ok: false, reason: 'insufficient_stock', shortages };
    }
    const sale = await this.repo.insertSale(
      tx,
      tenantId,
      lines.map((l) => ({ ...l, unitCostCents: products.get(l.productId)!.costCents })),
      options.actionId,
    );
    const stocks = await this.repo.applyMovements(
      tx,
      tenantId,
      lines.map((l) => ({
        productId: l.productId,
        delta: -l.quantity,
        reason: 'sale' as const,
        note: `venta ${sale.saleId}`,
      })),
      options.actionId,
    );
    return { ok: true, saleId: sale.saleId, totalCents: sale.totalCents, stocks };
  }

  /** add: arrivals and returns; remove: losses (with their reason); set: a count. */
  async moveStock(
    tx: SqlExecutor,
    tenantId: string,
    kind: StockMoveKind,
    items: readonly StockMoveInput[],
    why: { reason: MovementReason; note: string | null },
    options: WriteOptions,
  ): Promise<WriteOutcome<RecordedStockMove>> {
    const products = await this.repo.lockProducts(
      tx,
      tenantId,
      items.map((i) => i.productId),
    );
    const missing = items.filter((i) => !products.has(i.productId)).map((i) => i.productId);
    if (missing.length > 0) return { ok: false, reason: 'product_missing', productIds: missing };
    const movements: MovementRow[] = [];
    if (kind === 'set') {
      // The last count of a product wins; the movement is what makes the stock that number.
      const target = new Map(items.map((i) => [i.productId, i.quantity]));
      for (const [productId, quantity] of target) {
        const delta = quantity - products.get(productId)!.stock;
        movements.push({ productId, delta, reason: 'count', note: why.note });
      }
    } else {
      const sign = kind === 'add' ? 1 : -1;
      for (const i of items) {
        movements.push({
          productId: i.productId,
          delta: sign * i.quantity,
          reason: why.reason,
          note: why.note,
        });
      }
      if (kind === 'remove' && !options.allowNegativeStock) {
        const shortages = shortagesOf(
          products,
          sumByProduct(movements.map((m) => ({ productId: m.productId, delta: -m.delta }))),
        );
        if (shortages.length > 0) return { ok: false, reason: 'insufficient_stock', shortages };
      }
    }
    const stocks = await this.repo.applyMovements(tx, tenantId, movements, options.actionId);
    const deltas = sumByProduct(movements);
    return {
      ok: true,
      moves: stocks.map((s) => ({ ...s, delta: deltas.get(s.productId) ?? 0 })),
    };
  }

  async changePrice(
    tx: SqlExecutor,
    tenantId: string,
    productId: string,
    newPriceCents: number,
    options: Pick<WriteOptions, 'actionId'>,
  ): Promise<WriteOutcome<RecordedPriceChange>> {
    const products = await this.repo.lockProducts(tx, tenantId, [productId]);
    const product = products.get(productId);
    if (!product) return { ok: false, reason: 'product_missing', productIds: [productId] };
    const change = await this.repo.changePrice(
      tx,
      tenantId,
      product,
      newPriceCents,
      options.actionId,
      null,
    );
    return { ok: true, ...change };
  }

  /**
   * Takes back everything an action wrote with compensating rows: its sales voided (kept on
   * record, out of the totals), each stock movement reversed by a 'reversal' movement, each
   * price put back (a new price_changes row). Running it twice reverses nothing the second time
   * only if the caller's status transition says so: the caller guards it.
   */
  async reverseAction(tx: SqlExecutor, tenantId: string, actionId: string): Promise<ReversedWrite> {
    const movements = await this.repo.movementsOf(tx, tenantId, actionId);
    const priceChanges = await this.repo.priceChangesOf(tx, tenantId, actionId);
    const ids = [...movements.map((m) => m.productId), ...priceChanges.map((p) => p.productId)];
    // Locked first, in id order, like every other write.
    const products = await this.repo.lockProducts(tx, tenantId, ids);
    const voidedSales = await this.repo.voidSales(tx, tenantId, actionId);
    const stocks =
      movements.length === 0
        ? []
        : await this.repo.applyMovements(
            tx,
            tenantId,
            movements.map((m) => ({
              productId: m.productId,
              delta: -m.delta,
              reason: 'reversal' as const,
              note: `deshacer: ${m.reason}`,
            })),
            actionId,
          );
    const prices: RecordedPriceChange[] = [];
    for (const change of [...priceChanges].reverse()) {
      const product = products.get(change.productId);
      if (!product) continue;
      const current: LockedProduct = { ...product };
      prices.push(
        await this.repo.changePrice(
          tx,
          tenantId,
          current,
          change.oldPriceCents,
          actionId,
          'reversal',
        ),
      );
      product.priceCents = change.oldPriceCents;
    }
    return { voidedSales, stocks, prices };
  }
}

function sumByProduct(rows: readonly { productId: string; delta: number }[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(r.productId, (sums.get(r.productId) ?? 0) + r.delta);
  return sums;
}

function shortagesOf(
  products: Map<string, LockedProduct>,
  requested: Map<string, number>,
): StockShortage[] {
  const shortages: StockShortage[] = [];
  for (const [productId, quantity] of requested) {
    const p = products.get(productId)!;
    if (p.stock - quantity < 0) {
      shortages.push({ productId, name: p.name, stock: p.stock, requested: quantity });
    }
  }
  return shortages;
}
