import type { Balance } from '../billing/billing.types';
import type { TenantDetails } from '../tenants/tenants.service';

/** A shop as the admin API shows it: who talks for it, its numbers and its tokens. */
export function tenantView(d: TenantDetails, balance: Balance) {
  return {
    id: d.tenant.id,
    name: d.tenant.name,
    timezone: d.tenant.timezone,
    status: d.tenant.status,
    createdAt: d.tenant.createdAt,
    updatedAt: d.tenant.updatedAt,
    users: d.users.map((u) => ({ waId: u.waId, role: u.role, name: u.name })),
    channels: d.channels.map((c) => ({
      phoneNumberId: c.phoneNumberId,
      displayPhoneNumber: c.displayPhoneNumber,
    })),
    balance,
  };
}
