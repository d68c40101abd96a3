import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { InboxModule } from '../inbox/inbox.module';
import { LlmModule } from '../llm';
import { StoreModule } from '../store/store.module';
import { TenantsModule } from '../tenants/tenants.module';
import { AdminAuthGuard } from './admin-auth.guard';
import { ExperimentsAdminController } from './controllers/experiments-admin.controller';
import { InboxAdminController } from './controllers/inbox-admin.controller';
import { LlmConfigAdminController } from './controllers/llm-config-admin.controller';
import { PackagesAdminController } from './controllers/packages-admin.controller';
import { ProductsAdminController } from './controllers/products-admin.controller';
import { TenantSettingsAdminController } from './controllers/tenant-settings-admin.controller';
import { TenantsAdminController } from './controllers/tenants-admin.controller';
import { UsageAdminController } from './controllers/usage-admin.controller';
import { TenantByIdPipe } from './pipes/tenant-by-id.pipe';
import { LlmConfigAdminService } from './services/llm-config-admin.service';
import { TenantsAdminService } from './services/tenants-admin.service';

/** The authenticated admin API (Bearer ADMIN_API_TOKEN), documented at /docs. */
@Module({
  imports: [InboxModule, TenantsModule, BillingModule, LlmModule, StoreModule, ConversationsModule],
  controllers: [
    InboxAdminController,
    TenantsAdminController,
    PackagesAdminController,
    UsageAdminController,
    LlmConfigAdminController,
    ProductsAdminController,
    TenantSettingsAdminController,
    ExperimentsAdminController,
  ],
  providers: [AdminAuthGuard, TenantByIdPipe, TenantsAdminService, LlmConfigAdminService],
})
export class AdminModule {}
