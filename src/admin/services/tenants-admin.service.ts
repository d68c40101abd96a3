import { Injectable } from '@nestjs/common';
import type { Balance } from '../../billing/billing.types';
import { TokenLedgerService } from '../../billing/ledger/token-ledger.service';
import { TenantsService } from '../../tenants/services/tenants.service';
import type { NewTenant, TenantDetails, TenantPatch } from '../../tenants/tenant.types';

/** A shop as the admin API shows it: who talks for it, its numbers and its tokens. */
export type TenantView = ReturnType<typeof tenantView>;

/** Onboarding shops, with each shop's token balance beside it. */
@Injectable()
export class TenantsAdminService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly ledger: TokenLedgerService,
  ) {}

  async create(input: NewTenant): Promise<TenantView> {
    return this.view(await this.tenants.create(input));
  }

  async list(limit: number, offset: number) {
    const all = await this.tenants.list(limit, offset);
    return { items: await Promise.all(all.map((d) => this.view(d))), limit, offset };
  }

  async update(id: string, patch: TenantPatch): Promise<TenantView> {
    return this.view(await this.tenants.update(id, patch));
  }

  async get(id: string): Promise<TenantView> {
    return this.view(await this.tenants.getDetails(id));
  }

  private async view(d: TenantDetails): Promise<TenantView> {
    return tenantView(d, await this.ledger.getBalance(d.tenant.id));
  }
}

function tenantView(d: TenantDetails, balance: Balance) {
  return {
    id: d.tenant.id,
    name: d.tenant.name,
    timezone: d.tenant.timezone,
    status: d.tenant.status,
    /** Sales and removals may take stock below zero (default: owners sell what arrived uncounted). */
    allowNegativeStock: d.tenant.allowNegativeStock,
    createdAt: d.tenant.createdAt,
    updatedAt: d.tenant.updatedAt,
    users: d.users.map((u) => ({ waId: u.waId, userId: u.userId, role: u.role, name: u.name })),
    channels: d.channels.map((c) => ({
      phoneNumberId: c.phoneNumberId,
      displayPhoneNumber: c.displayPhoneNumber,
    })),
    balance,
  };
}
