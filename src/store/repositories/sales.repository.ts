import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ProfitSummary, SalesSummary, TopProduct } from '../store.types';

/**
 * Aggregates over sales and sale_items for one shop and a [from, to) range of UTC instants,
 * computed by PostgreSQL over the (tenant_id, sold_at) index.
 */
@Injectable()
export class SalesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async summary(tenantId: string, from: Date, to: Date): Promise<SalesSummary> {
    const [row] = (await this.db.query(
      `SELECT COALESCE(SUM(total_cents), 0) AS total,
              COUNT(*) AS tickets,
              COALESCE(SUM(item_count), 0) AS items,
              COALESCE(ROUND(AVG(total_cents)), 0) AS average
         FROM sales
        WHERE tenant_id = $1 AND sold_at >= $2 AND sold_at < $3`,
      [tenantId, from, to],
    )) as Record<'total' | 'tickets' | 'items' | 'average', string>[];
    return {
      totalCents: Number(row.total),
      tickets: Number(row.tickets),
      itemsSold: Number(row.items),
      averageTicketCents: Number(row.average),
    };
  }

  /** Best sellers by units sold (revenue breaks ties). */
  async topProducts(tenantId: string, from: Date, to: Date, limit: number): Promise<TopProduct[]> {
    const rows = (await this.db.query(
      `SELECT p.id, p.name, SUM(si.quantity) AS quantity, SUM(si.subtotal_cents) AS revenue
         FROM sales s
         JOIN sale_items si ON si.sale_id = s.id AND si.tenant_id = s.tenant_id
         JOIN products p ON p.id = si.product_id AND p.tenant_id = si.tenant_id
        WHERE s.tenant_id = $1 AND s.sold_at >= $2 AND s.sold_at < $3
        GROUP BY p.id, p.name
        ORDER BY SUM(si.quantity) DESC, SUM(si.subtotal_cents) DESC, p.name
        LIMIT $4`,
      [tenantId, from, to, limit],
    )) as { id: string; name: string; quantity: string; revenue: string }[];
    return rows.map((r) => ({
      productId: r.id,
      name: r.name,
      quantity: Number(r.quantity),
      revenueCents: Number(r.revenue),
    }));
  }

  /** Revenue minus the cost frozen on each ticket when it was sold. */
  async profit(tenantId: string, from: Date, to: Date): Promise<ProfitSummary> {
    const [row] = (await this.db.query(
      `SELECT COALESCE(SUM(total_cents), 0) AS revenue,
              COALESCE(SUM(cost_cents), 0) AS cost,
              ROUND(100.0 * (SUM(total_cents) - SUM(cost_cents)) / NULLIF(SUM(total_cents), 0), 1)
                AS margin
         FROM sales
        WHERE tenant_id = $1 AND sold_at >= $2 AND sold_at < $3`,
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
