import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type TenantRole = 'owner' | 'employee';

/** A WhatsApp number (wa_id, digits only) allowed to talk to the bot on behalf of a shop. */
@Entity('tenant_users')
export class TenantUser {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text', { name: 'wa_id', unique: true }) waId!: string;
  @Column('text', { default: 'owner' }) role!: TenantRole;
  @Column('text', { nullable: true }) name!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
