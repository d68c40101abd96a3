import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { BillingModule } from '../billing/billing.module';
import { InboxModule } from '../inbox/inbox.module';
import { LlmModule } from '../llm';
import { StoreModule } from '../store/store.module';
import { TenantsModule } from '../tenants/tenants.module';
import { AdminAuthGuard } from './admin-auth.guard';
import { BillingAdminController } from './billing-admin.controller';
import { AdminClientErrorFilter } from './client-error.filter';
import { InboxAdminController } from './inbox-admin.controller';
import { LlmConfigAdminController } from './llm-config-admin.controller';
import { LlmConfigTester } from './llm-config-tester';
import { ProductsAdminController } from './products-admin.controller';
import { TenantsAdminController } from './tenants-admin.controller';

/** The authenticated admin API (Bearer ADMIN_API_TOKEN), documented at /docs. */
@Module({
  imports: [InboxModule, TenantsModule, BillingModule, LlmModule, StoreModule],
  controllers: [
    InboxAdminController,
    TenantsAdminController,
    BillingAdminController,
    LlmConfigAdminController,
    ProductsAdminController,
  ],
  providers: [
    AdminAuthGuard,
    LlmConfigTester,
    // Scoped to /admin inside the filter: malformed bodies are 4xx there, not 500.
    { provide: APP_FILTER, useClass: AdminClientErrorFilter },
  ],
})
export class AdminModule {}
