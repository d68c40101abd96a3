import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '../../common/errors/domain-error';
import type { Balance } from '../../billing/billing.types';
import { TokenLedgerService } from '../../billing/ledger/token-ledger.service';
import { ConversationsService } from '../../conversations/services/conversations.service';
import { InboxService } from '../../inbox/services/inbox.service';
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
    private readonly inbox: InboxService,
    private readonly conversations: ConversationsService,
  ) {}

  /**
   * Deletes a shop. `confirm` must repeat its id (a typo in the URL must not erase another
   * shop). Each owner erases its rows: tenants (people, numbers, settings, API key; the row
   * becomes a tombstone), then the inbox (messages in and out, by shop and by its numbers) and
   * the chat memory. Kept for accounting: the ledger, purchases (with their paymentRef),
   * reservations and usage, which carry no message text. Re-running it is harmless.
   */
  async erase(id: string, confirm: string | undefined): Promise<void> {
    await this.tenants.require(id); // 404 first: an unknown id is not a confirmation problem
    if (confirm !== id) {
      throw new InvalidInputError('Deleting a shop must be confirmed', [
        { field: 'confirm', reason: 'must repeat the shop id (?confirm=<id>)' },
      ]);
    }
    const { phoneNumberIds } = await this.tenants.erase(id);
    await this.inbox.eraseTenant(id, phoneNumberIds);
    await this.conversations.eraseTenant(id);
  }

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
