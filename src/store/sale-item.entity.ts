import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One line of a ticket, with the price and cost it had when it was sold. */
@Entity('sale_items')
export class SaleItem {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'sale_id' }) saleId!: string;
  @Column('uuid', { name: 'product_id' }) productId!: string;
  @Column('integer') quantity!: number;
  @Column('integer', { name: 'unit_price_cents' }) unitPriceCents!: number;
  @Column('integer', { name: 'unit_cost_cents', default: 0 }) unitCostCents!: number;
  @Column('integer', { name: 'subtotal_cents' }) subtotalCents!: number;
}
