import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '../../database/pg-errors';
import { TenantsRepository } from '../repositories/tenants.repository';
import type { NewTenant, ResolvedSender, Tenant, TenantDetails } from '../tenant.types';
import { ChannelTakenError, TenantNotFoundError, WaNumberTakenError } from '../tenants.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Shops and the numbers that talk for them. */
@Injectable()
export class TenantsService {
  constructor(
    private readonly repo: TenantsRepository,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** The shop a WhatsApp number talks for, or null when the number belongs to no shop. */
  async resolveSender(waId: string): Promise<ResolvedSender | null> {
    const user = await this.repo.findUserByWaId(waId);
    if (!user) return null;
    const tenant = await this.repo.findById(user.tenantId);
    return tenant ? { tenant, user } : null;
  }

  /** The shop, or TenantNotFoundError (also for an id that is not even a uuid). */
  async require(id: string): Promise<Tenant> {
    const tenant = UUID.test(id) ? await this.repo.findById(id) : null;
    if (!tenant) throw new TenantNotFoundError(id);
    return tenant;
  }

  /**
   * Creates the shop, its owner's number and (optionally) its business number in one
   * transaction. A number that already belongs to a shop is refused, also when two requests
   * race (the UNIQUE constraints decide).
   */
  async create(input: NewTenant): Promise<TenantDetails> {
    if (await this.repo.findUserByWaId(input.ownerWaId)) {
      throw new WaNumberTakenError(`WhatsApp number ${input.ownerWaId} already belongs to a shop`);
    }
    if (input.phoneNumberId && (await this.repo.channelExists(input.phoneNumberId))) {
      throw new ChannelTakenError(
        `phone_number_id ${input.phoneNumberId} already belongs to a shop`,
      );
    }
    let id: string;
    try {
      id = await this.db.transaction((tx) => this.repo.insert(tx, input));
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new WaNumberTakenError('That WhatsApp number already belongs to a shop');
      }
      throw err;
    }
    return this.getDetails(id);
  }

  async getDetails(id: string): Promise<TenantDetails> {
    const tenant = await this.require(id);
    const [users, channels] = await Promise.all([
      this.repo.usersOf([id]),
      this.repo.channelsOf([id]),
    ]);
    return { tenant, users, channels };
  }

  /** Newest first. */
  async list(limit: number, offset: number): Promise<TenantDetails[]> {
    const tenants = await this.repo.list(limit, offset);
    const ids = tenants.map((t) => t.id);
    if (ids.length === 0) return [];
    const [users, channels] = await Promise.all([
      this.repo.usersOf(ids),
      this.repo.channelsOf(ids),
    ]);
    return tenants.map((tenant) => ({
      tenant,
      users: users.filter((u) => u.tenantId === tenant.id),
      channels: channels.filter((c) => c.tenantId === tenant.id),
    }));
  }
}
