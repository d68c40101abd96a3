import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { isUniqueViolation } from './pg-errors';
import { Tenant } from './tenant.entity';
import { TenantUser } from './tenant-user.entity';
import { WhatsappChannel } from './whatsapp-channel.entity';

export interface ResolvedSender {
  tenant: Tenant;
  user: TenantUser;
}

export interface NewTenant {
  name: string;
  ownerWaId: string;
  phoneNumberId?: string;
  timezone?: string;
}

/** A shop with the numbers that talk for it and the business numbers it answers from. */
export interface TenantDetails {
  tenant: Tenant;
  users: TenantUser[];
  channels: WhatsappChannel[];
}

@Injectable()
export class TenantsService {
  constructor(
    @InjectRepository(Tenant) private readonly tenants: Repository<Tenant>,
    @InjectRepository(TenantUser) private readonly users: Repository<TenantUser>,
    @InjectRepository(WhatsappChannel) private readonly channels: Repository<WhatsappChannel>,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** The shop a WhatsApp number talks for, or null when the number belongs to no shop. */
  async resolveSender(waId: string): Promise<ResolvedSender | null> {
    const user = await this.users.findOne({ where: { waId } });
    if (!user) return null;
    const tenant = await this.tenants.findOne({ where: { id: user.tenantId } });
    return tenant ? { tenant, user } : null;
  }

  findById(id: string): Promise<Tenant | null> {
    return this.tenants.findOne({ where: { id } });
  }

  /**
   * Creates the shop, its owner's number and (optionally) its business number in one
   * transaction. A number that already belongs to a shop is a 409, also when two requests
   * race (the UNIQUE constraints decide).
   */
  async create(input: NewTenant): Promise<TenantDetails> {
    await this.assertNumbersFree(input);
    try {
      const created = await this.db.transaction(async (tx) => {
        const tenant = await tx.getRepository(Tenant).save(
          tx.getRepository(Tenant).create({
            name: input.name,
            ...(input.timezone ? { timezone: input.timezone } : {}),
          }),
        );
        const owner = await tx
          .getRepository(TenantUser)
          .save(
            tx
              .getRepository(TenantUser)
              .create({ tenantId: tenant.id, waId: input.ownerWaId, role: 'owner' }),
          );
        const channels = input.phoneNumberId
          ? [
              await tx.getRepository(WhatsappChannel).save(
                tx.getRepository(WhatsappChannel).create({
                  tenantId: tenant.id,
                  phoneNumberId: input.phoneNumberId,
                }),
              ),
            ]
          : [];
        return { tenant, users: [owner], channels };
      });
      // Re-read so defaults filled in by the database (timezone, status) are reported.
      return (await this.getDetails(created.tenant.id)) ?? created;
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ConflictException('That WhatsApp number already belongs to a shop');
      }
      throw err;
    }
  }

  async getDetails(id: string): Promise<TenantDetails | null> {
    const tenant = await this.tenants.findOne({ where: { id } });
    if (!tenant) return null;
    const [users, channels] = await Promise.all([
      this.users.find({ where: { tenantId: id }, order: { createdAt: 'ASC' } }),
      this.channels.find({ where: { tenantId: id }, order: { createdAt: 'ASC' } }),
    ]);
    return { tenant, users, channels };
  }

  /** Newest first. */
  async list(limit: number, offset: number): Promise<TenantDetails[]> {
    const tenants = await this.tenants.find({
      order: { createdAt: 'DESC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    const ids = tenants.map((t) => t.id);
    if (ids.length === 0) return [];
    const [users, channels] = await Promise.all([
      this.users.find({ where: { tenantId: In(ids) }, order: { createdAt: 'ASC' } }),
      this.channels.find({ where: { tenantId: In(ids) }, order: { createdAt: 'ASC' } }),
    ]);
    return tenants.map((tenant) => ({
      tenant,
      users: users.filter((u) => u.tenantId === tenant.id),
      channels: channels.filter((c) => c.tenantId === tenant.id),
    }));
  }

  private async assertNumbersFree(input: NewTenant): Promise<void> {
    if (await this.users.exists({ where: { waId: input.ownerWaId } })) {
      throw new ConflictException(`WhatsApp number ${input.ownerWaId} already belongs to a shop`);
    }
    if (
      input.phoneNumberId &&
      (await this.channels.exists({ where: { phoneNumberId: input.phoneNumberId } }))
    ) {
      throw new ConflictException(
        `phone_number_id ${input.phoneNumberId} already belongs to a shop`,
      );
    }
  }
}
