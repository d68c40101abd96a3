import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type {
  ProductSales,
  ProductSalesReport,
  ProfitSummary,
  SalesSummary,
  TopProduct,
  TopProductsBy,
} from '../store.types';

/** ORDER BY of each ranking; the other figures break ties, then the name. */
const QUANTITY = 'SUM(si.quantity)';
const REVENUE = 'SUM(si.subtotal_cents)';
const COST = 'SUM(si.quantity * si.unit_cost_cents)';
const TOP_ORDER: Record<TopProductsBy, string> = {
  units: `${QUANTITY} DESC, ${REVENUE} DESC`,
  amount: `${REVENUE} DESC, ${QUANTITY} DESC`,
  profit: `${REVENUE} - ${COST} DESC, ${REVENUE} DESC`,
};

/**
 * Aggregates over sales and sale_items for one shop and a [from, to) range of UTC instants,
 * computed by PostgreSQL over the (tenant_id, sold_at) index. A voided sale (taken back with
 * "deshacer") stays on record and counts nowhere.
 */
@Injectable()
export class SalesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async summary(tenantId: string, from: Date, to: Date): Promise<SalesSummary> {
    const [row] = (await this.db.query(
      `SELECT COALESCE(SUM(total_cents), 0) AS total,
              COUNT(*) AS tickets,
              COALESCE(SUM(item_count), 0) AS items,
              COALESCE(ROUND(AVG(total_cents)), 0) AS average,
              COALESCE(SUM(cost_cents), 0) AS cost
         FROM sales
        WHERE tenant_id = $1 AND sold_at >= $2 AND sold_at < $3 AND voided_at IS NULL`,
      [tenantId, from, to],
    )) as Record<'total' | 'tickets' | 'items' | 'average' | 'cost', string>[];
    return {
      totalCents: Number(row.total),
      tickets: Number(row.tickets),
      itemsSold: Number(row.items),
      averageTicketCents: Number(row.average),
      costCents: Number(row.cost),
    };
  }

  /** Best sellers by units, by money taken, or by what they left (revenue − cost). */
  async topProducts(
    tenantId: string,
    from: Date,
    to: Date,
    limit: number,
    by: TopProductsBy = 'units',
  ): Promise<TopProduct[]> {
    const rows = (await this.db.query(
      `SELECT p.id, p.name, ${QUANTITY} AS quantity, ${REVENUE} AS revenue, ${COST} AS cost
         FROM sales s
         JOIN sale_items si ON si.sale_id = s.id AND si.tenant_id = s.tenant_id
         JOIN products p ON p.id = si.product_id AND p.tenant_id = si.tenant_id
        WHERE s.tenant_id = $1 AND s.sold_at >= $2 AND s.sold_at < $3
          AND s.voided_at IS NULL
        GROUP BY p.id, p.name
        ORDER BY ${TOP_ORDER[by]}, p.name
        LIMIT $4`,
      [tenantId, from, to, limit],
    )) as { id: string; name: string; quantity: string; revenue: string; cost: string }[];
    return rows.map((r) => ({
      productId: r.id,
      name: r.name,
      quantity: Number(r.quantity),
      revenueCents: Number(r.revenue),
      costCents: Number(r.cost),
      profitCents: Number(r.revenue) - Number(r.cost),
    }));
  }

  /**
   * Sales of the given products over [from, to): each one (zero when it did not sell) and
   * all of them together, where a ticket that carried two of them counts once. Cost is the
   * cost frozen on each ticket line when it was sold.
   */
  async productSales(
    tenantId: string,
    productIds: string[],
    from: Date,
    to: Date,
  ): Promise<ProductSalesReport> {
    const rows = (await this.db.query(
      `WITH lines AS (
         SELECT si.product_id, si.sale_id, si.quantity, si.subtotal_cents,
                si.quantity * si.unit_cost_cents AS cost
           FROM sales s
           JOIN sale_items si ON si.sale_id = s.id AND si.tenant_id = s.tenant_id
          WHERE s.tenant_id = $1 AND s.sold_at >= $2 AND s.sold_at < $3
          AND s.voided_at IS NULL
            AND si.product_id = ANY($4::uuid[])
       )
       SELECT p.id, p.name,
              COALESCE(SUM(l.quantity), 0) AS units,
              COALESCE(SUM(l.subtotal_cents), 0) AS revenue,
              COALESCE(SUM(l.cost), 0) AS cost,
              COUNT(DISTINCT l.sale_id) AS tickets,
              (SELECT COUNT(DISTINCT sale_id) FROM lines) AS all_tickets
         FROM products p
         LEFT JOIN lines l ON l.product_id = p.id
        WHERE p.tenant_id = $1 AND p.id = ANY($4::uuid[])
        GROUP BY p.id, p.name
        ORDER BY COALESCE(SUM(l.subtotal_cents), 0) DESC, p.name`,
      [tenantId, from, to, productIds],
    )) as Record<
      'id' | 'name' | 'units' | 'revenue' | 'cost' | 'tickets' | 'all_tickets',
      string
    >[];
    const products: ProductSales[] = rows.map((r) => ({
      productId: r.id,
      name: r.name,
      units: Number(r.units),
      revenueCents: Number(r.revenue),
      costCents: Number(r.cost),
      profitCents: Number(r.revenue) - Number(r.cost),
      tickets: Number(r.tickets),
    }));
    const sum = (pick: (p: ProductSales) => number) => products.reduce((a, p) => a + pick(p), 0);
    return {
      products,
      combined: {
        units: sum((p) => p.units),
        revenueCents: sum((p) => p.revenueCents),
        costCents: sum((p) => p.costCents),
        profitCents: sum((p) => p.profitCents),
        tickets: Number(rows[0]?.all_tickets ?? 0),
      },
    };
  }

  /** Revenue minus the cost frozen on each ticket when it was sold. */
  async profit(tenantId: string, from: Date, to: Date): Promise<ProfitSummary> {
    const [row] = (await this.db.query(
      `SELECT COALESCE(SUM(total_cents), 0) AS revenue,
              COALESCE(SUM(cost_cents), 0) AS cost,
              ROUND(100.0 * (SUM(total_cents) - SUM(cost_cents)) / NULLIF(SUM(total_cents), 0), 1)
                AS margin
         FROM sales
        WHERE tenant_id = $1 AND sold_at >= $2 AND sold_at < $3 AND voided_at IS NULL`,
      [tenantId, from, to],
    )) as { revenue: string; cost: string; margin: string | null }[];
    const revenueCents = Number(row.revenue);
    const costCents = Number(row.cost);
    return {
      revenueCents,
      costCents,
      profitCents: revenueCents - costCents,
      marginPct: row.margin === null ? null : Number(row.margin),
    };
  }
}
