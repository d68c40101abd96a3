import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { LlmProfileName } from '../config/env.schema';

/**
 * A shop's own LLM settings. The provider key is stored sealed (see ApiKeyCipher) and only
 * its last four characters are ever shown back.
 */
@Entity('tenant_llm_config')
export class TenantLlmConfig {
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('bytea', { name: 'api_key_ciphertext', nullable: true }) apiKeyCiphertext!: Buffer | null;
  @Column('text', { name: 'api_key_key_id', nullable: true }) apiKeyKeyId!: string | null;
  @Column('text', { name: 'api_key_last4', nullable: true }) apiKeyLast4!: string | null;
  @Column('text', { name: 'model_default', nullable: true }) modelDefault!: string | null;
  @Column('text', { name: 'model_fallback', array: true, default: () => "'{}'" })
  modelFallback!: string[];
  @Column('text', { nullable: true }) profile!: LlmProfileName | null;
  @Column('integer', { name: 'max_tokens', nullable: true }) maxTokens!: number | null;
  @Column('boolean', { name: 'is_active', default: true }) isActive!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
