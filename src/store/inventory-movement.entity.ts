import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type MovementReason = 'purchase' | 'sale' | 'loss' | 'adjustment' | 'count';

/** Append-only stock ledger: why a product's stock changed, and by how much. */
@Entity('inventory_movements')
export class InventoryMovement {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'product_id' }) productId!: string;
  @Column('integer', { name: 'quantity_delta' }) quantityDelta!: number;
  @Column('text') reason!: MovementReason;
  @Column('text', { nullable: true }) note!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
