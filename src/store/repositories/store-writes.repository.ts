import { Injectable } from '@nestjs/common';
import { affectedCount, returnedRows, type SqlExecutor } from '../../database/sql-executor';
import type {
  MovementReason,
  RecordedPriceChange,
  SaleLineInput,
  StockAfter,
} from '../store.types';

/** A product row locked for a write. */
export interface LockedProduct {
  id: string;
  name: string;
  unit: string;
  stock: number;
  priceCents: number;
  costCents: number;
}

export interface MovementRow {
  productId: string;
  delta: number;
  reason: MovementReason;
  note: string | null;
}

/**
 * The writes from WhatsApp on products, sales, sale_items, inventory_movements and
 * price_changes, always inside the caller's transaction (the action that asked for them is
 * marked executed in the same one). Products are locked in id order, so two writes touching
 * the same products never deadlock and stock is always exact.
 */
@Injectable()
export class StoreWritesRepository {
  /** Locks the shop's active products among `ids` (FOR UPDATE, in id order). */
  async lockProducts(
    tx: SqlExecutor,
    tenantId: string,
    ids: readonly string[],
  ): Promise<Map<string, LockedProduct>> {
    const rows = (await tx.query(
      `SELECT id, name, unit, stock, price_cents, cost_cents FROM products
        WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND is_active
        ORDER BY id
        FOR UPDATE`,
      [tenantId, [...new Set(ids)]],
    )) as {
      id: string;
      name: string;
      unit: string;
      stock: number;
      price_cents: number;
      cost_cents: number;
    }[];
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          name: r.name,
          unit: r.unit,
          stock: r.stock,
          priceCents: r.price_cents,
          costCents: r.cost_cents,
        },
      ]),
    );
  }

  /** The ticket and its lines, each at the cost the product has now. */
  async insertSale(
    tx: SqlExecutor,
    tenantId: string,
    lines: readonly (SaleLineInput & { unitCostCents: number })[],
    actionId: string | null,
  ): Promise<{ saleId: string; totalCents: number }> {
    const total = lines.reduce((a, l) => a + l.quantity * l.unitPriceCents, 0);
    const cost = lines.reduce((a, l) => a + l.quantity * l.unitCostCents, 0);
    const items = lines.reduce((a, l) => a + l.quantity, 0);
    const [sale] = (await tx.query(
      `INSERT INTO sales (tenant_id, total_cents, cost_cents, item_count, source, action_id)
       VALUES ($1, $2, $3, $4, 'whatsapp', $5) RETURNING id`,
      [tenantId, total, cost, items, actionId],
    )) as { id: string }[];
    await tx.query(
      `INSERT INTO sale_items (tenant_id, sale_id, product_id, quantity, unit_price_cents,
                               unit_cost_cents, subtotal_cents)
       SELECT $1, $2, l.product_id, l.quantity, l.unit_price_cents, l.unit_cost_cents,
              l.quantity * l.unit_price_cents
         FROM jsonb_to_recordset($3::jsonb) AS l(product_id uuid, quantity integer,
              unit_price_cents integer, unit_cost_cents integer)`,
      [
        tenantId,
        sale.id,
        JSON.stringify(
          lines.map((l) => ({
            product_id: l.productId,
            quantity: l.quantity,
            unit_price_cents: l.unitPriceCents,
            unit_cost_cents: l.unitCostCents,
          })),
        ),
      ],
    );
    return { saleId: sale.id, totalCents: total };
  }

  /**
   * Applies the movements to stock and writes them to the ledger (stock always equals the sum
   * of its movements). Returns each product's stock afterwards.
   */
  async applyMovements(
    tx: SqlExecutor,
    tenantId: string,
    movements: readonly MovementRow[],
    actionId: string | null,
  ): Promise<StockAfter[]> {
    const json = JSON.stringify(
      movements.map((m) => ({
        product_id: m.productId,
        delta: m.delta,
        reason: m.reason,
        note: m.note,
      })),
    );
    await tx.query(
      `INSERT INTO inventory_movements (tenant_id, product_id, quantity_delta, reason, note, action_id)
       SELECT $1, m.product_id, m.delta, m.reason, m.note, $3
         FROM jsonb_to_recordset($2::jsonb) AS m(product_id uuid, delta integer, reason text, note text)
        WHERE m.delta <> 0`,
      [tenantId, json, actionId],
    );
    const rows = returnedRows<{ id: string; name: string; unit: string; stock: number }>(
      await tx.query(
        `UPDATE products p
          SET stock = p.stock + d.delta, updated_at = now()
         FROM (SELECT m.product_id, SUM(m.delta)::integer AS delta
                 FROM jsonb_to_recordset($2::jsonb) AS m(product_id uuid, delta integer)
                GROUP BY m.product_id) d
        WHERE p.tenant_id = $1 AND p.id = d.product_id
       RETURNING p.id, p.name, p.unit, p.stock`,
        [tenantId, json],
      ),
    );
    return rows.map((r) => ({ productId: r.id, name: r.name, unit: r.unit, stock: r.stock }));
  }

  /** Sets a product's price and keeps the one it replaced. */
  async changePrice(
    tx: SqlExecutor,
    tenantId: string,
    product: LockedProduct,
    newPriceCents: number,
    actionId: string | null,
    note: string | null,
  ): Promise<RecordedPriceChange> {
    await tx.query(
      `UPDATE products SET price_cents = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
      [tenantId, product.id, newPriceCents],
    );
    await tx.query(
      `INSERT INTO price_changes (tenant_id, product_id, old_price_cents, new_price_cents, action_id, note)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [tenantId, product.id, product.priceCents, newPriceCents, actionId, note],
    );
    return {
      productId: product.id,
      name: product.name,
      oldPriceCents: product.priceCents,
      newPriceCents,
    };
  }

  /** Marks the action's sales voided (they stay on record); how many were still counted. */
  async voidSales(tx: SqlExecutor, tenantId: string, actionId: string): Promise<number> {
    return affectedCount(
      await tx.query(
        `UPDATE sales SET voided_at = now()
          WHERE tenant_id = $1 AND action_id = $2 AND voided_at IS NULL
         RETURNING id`,
        [tenantId, actionId],
      ),
    );
  }

  /** The stock movements an action wrote (not the reversals of them). */
  async movementsOf(tx: SqlExecutor, tenantId: string, actionId: string): Promise<MovementRow[]> {
    const rows = (await tx.query(
      `SELECT product_id, quantity_delta, reason, note FROM inventory_movements
        WHERE tenant_id = $1 AND action_id = $2 AND reason <> 'reversal'
        ORDER BY id`,
      [tenantId, actionId],
    )) as { product_id: string; quantity_delta: number; reason: MovementReason; note: string }[];
    return rows.map((r) => ({
      productId: r.product_id,
      delta: r.quantity_delta,
      reason: r.reason,
      note: r.note,
    }));
  }

  /** The price changes an action made, oldest first. */
  async priceChangesOf(
    tx: SqlExecutor,
    tenantId: string,
    actionId: string,
  ): Promise<{ productId: string; oldPriceCents: number; newPriceCents: number }[]> {
    const rows = (await tx.query(
      `SELECT product_id, old_price_cents, new_price_cents FROM price_changes
        WHERE tenant_id = $1 AND action_id = $2 AND note IS DISTINCT FROM 'reversal'
        ORDER BY id`,
      [tenantId, actionId],
    )) as { product_id: string; old_price_cents: number; new_price_cents: number }[];
    return rows.map((r) => ({
      productId: r.product_id,
      oldPriceCents: r.old_price_cents,
      newPriceCents: r.new_price_cents,
    }));
  }
}
