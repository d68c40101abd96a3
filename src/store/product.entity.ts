import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** One item a shop sells. Money in integer cents (MXN); stock in whole `unit`s. */
@Entity('products')
export class Product {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') name!: string;
  /** Nicknames owners type: 'coca', 'cocas', 'refresco de cola'. */
  @Column('text', { array: true, default: () => "'{}'" }) aliases!: string[];
  @Column('text', { nullable: true }) sku!: string | null;
  @Column('text', { default: 'pza' }) unit!: string;
  @Column('integer', { name: 'price_cents' }) priceCents!: number;
  @Column('integer', { name: 'cost_cents', default: 0 }) costCents!: number;
  @Column('integer', { default: 0 }) stock!: number;
  @Column('integer', { name: 'min_stock', default: 0 }) minStock!: number;
  @Column('boolean', { name: 'is_active', default: true }) isActive!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
