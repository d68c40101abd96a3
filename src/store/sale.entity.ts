import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type SaleSource = 'whatsapp' | 'pos' | 'seed';

/**
 * One ticket. Totals are denormalized from its lines (and cost is frozen at sale time) so
 * sales and profit questions are a single indexed range scan over (tenant_id, sold_at).
 */
@Entity('sales')
export class Sale {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('timestamptz', { name: 'sold_at' }) soldAt!: Date;
  @Column('integer', { name: 'total_cents' }) totalCents!: number;
  @Column('integer', { name: 'cost_cents', default: 0 }) costCents!: number;
  /** Units sold in this ticket (sum of line quantities). */
  @Column('integer', { name: 'item_count' }) itemCount!: number;
  @Column('text') source!: SaleSource;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
