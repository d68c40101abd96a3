import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { TenantLlmConfigRepository } from './repositories/tenant-llm-config.repository';
import { TenantsRepository } from './repositories/tenants.repository';
import { ApiKeyCipher } from './services/api-key-cipher';
import { TenantLlmConfigService } from './services/tenant-llm-config.service';
import { TenantsService } from './services/tenants.service';
import { TenantSettingsRepository } from './settings/tenant-settings.repository';
import { TenantSettingsService } from './settings/tenant-settings.service';

/** Shops, their numbers and roles, and each shop's LLM settings (owner of their tables). */
@Module({
  providers: [
    TenantsRepository,
    TenantLlmConfigRepository,
    TenantsService,
    TenantLlmConfigService,
    TenantSettingsRepository,
    TenantSettingsService,
    {
      provide: ApiKeyCipher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ApiKeyCipher.fromConfig(config),
    },
  ],
  exports: [TenantsService, TenantLlmConfigService, TenantSettingsService],
})
export class TenantsModule {}
