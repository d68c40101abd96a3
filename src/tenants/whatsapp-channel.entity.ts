import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A business phone number (Meta's phone_number_id) that a shop's bot answers from. */
@Entity('whatsapp_channels')
export class WhatsappChannel {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text', { name: 'phone_number_id', unique: true }) phoneNumberId!: string;
  @Column('text', { name: 'display_phone_number', nullable: true }) displayPhoneNumber!:
    string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
