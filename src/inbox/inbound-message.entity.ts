import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type InboundStatus =
  'received' | 'queued' | 'processing' | 'processed' | 'ignored' | 'failed';
export type IgnoreReason = 'stale' | 'unknown_sender' | 'tenant_suspended' | 'unsupported';

@Entity('inbound_messages')
export class InboundMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('text', { unique: true }) wamid!: string;
  @Column('text', { name: 'phone_number_id' }) phoneNumberId!: string;
  @Column('text', { name: 'from_wa_id' }) fromWaId!: string;
  @Column('text', { name: 'contact_name', nullable: true }) contactName!: string | null;
  @Column('uuid', { name: 'tenant_id', nullable: true }) tenantId!: string | null;
  @Column('text') type!: string;
  @Column('text', { nullable: true }) text!: string | null;
  @Column('jsonb') payload!: Record<string, unknown>;
  @Column('timestamptz', { name: 'sent_at' }) sentAt!: Date;
  @Column('timestamptz', { name: 'received_at' }) receivedAt!: Date;
  @Column('text') status!: InboundStatus;
  @Column('text', { name: 'ignore_reason', nullable: true }) ignoreReason!: IgnoreReason | null;
  @Column('integer') attempts!: number;
  @Column('text', { name: 'last_error', nullable: true }) lastError!: string | null;
  @Column('timestamptz', { name: 'processed_at', nullable: true }) processedAt!: Date | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
