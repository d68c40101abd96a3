import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { ApiKeyCipher } from './api-key-cipher';
import { Tenant } from './tenant.entity';
import { TenantLlmConfig } from './tenant-llm-config.entity';
import { TenantLlmConfigService } from './tenant-llm-config.service';
import { TenantUser } from './tenant-user.entity';
import { TenantsService } from './tenants.service';
import { WhatsappChannel } from './whatsapp-channel.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Tenant, TenantUser, WhatsappChannel, TenantLlmConfig])],
  providers: [
    TenantsService,
    TenantLlmConfigService,
    {
      provide: ApiKeyCipher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ApiKeyCipher.fromConfig(config),
    },
  ],
  exports: [TenantsService, TenantLlmConfigService, TypeOrmModule],
})
export class TenantsModule {}
