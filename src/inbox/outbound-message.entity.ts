import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type OutboundStatus =
  'pending' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'unknown';

@Entity('outbound_messages')
export class OutboundMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('text', { name: 'inbound_wamid', nullable: true }) inboundWamid!: string | null;
  @Column('text') purpose!: string;
  @Column('uuid', { name: 'tenant_id', nullable: true }) tenantId!: string | null;
  @Column('text', { name: 'phone_number_id' }) phoneNumberId!: string;
  @Column('text', { name: 'to_wa_id' }) toWaId!: string;
  @Column('text') type!: string;
  @Column('text', { nullable: true }) text!: string | null;
  @Column('jsonb') request!: Record<string, unknown>;
  @Column('text', { nullable: true, unique: true }) wamid!: string | null;
  @Column('text') status!: OutboundStatus;
  @Column('integer', { name: 'error_code', nullable: true }) errorCode!: number | null;
  @Column('text', { name: 'error_title', nullable: true }) errorTitle!: string | null;
  @Column('text', { name: 'fallback_level', nullable: true }) fallbackLevel!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt!: Date | null;
  @Column('timestamptz', { name: 'delivered_at', nullable: true }) deliveredAt!: Date | null;
  @Column('timestamptz', { name: 'read_at', nullable: true }) readAt!: Date | null;
  @Column('timestamptz', { name: 'failed_at', nullable: true }) failedAt!: Date | null;
}
