import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '../../database/pg-errors';
import { normalizeWaId } from '../phone-number';
import { TenantLlmConfigRepository } from '../repositories/tenant-llm-config.repository';
import { TenantsRepository } from '../repositories/tenants.repository';
import { TenantSettingsRepository } from '../settings/tenant-settings.repository';
import type {
  IdentityChange,
  NewTenant,
  SenderIdentity,
  SenderResolution,
  Tenant,
  TenantDetails,
  TenantPatch,
  TenantUser,
} from '../tenant.types';
import { ChannelTakenError, TenantNotFoundError, WaNumberTakenError } from '../tenants.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What happened to a number change WhatsApp reported. */
export type NumberChangeOutcome = 'moved' | 'already_moved' | 'number_taken' | 'invalid_number';

/** Shops and the numbers that talk for them. */
@Injectable()
export class TenantsService {
  private readonly log = new Logger(TenantsService.name);

  constructor(
    private readonly repo: TenantsRepository,
    @InjectDataSource() private readonly db: DataSource,
    private readonly llmConfig: TenantLlmConfigRepository,
    private readonly settings: TenantSettingsRepository,
  ) {}

  /**
   * The shop a message is for and who sent it. The shop is the one the business number belongs
   * to (metadata.phone_number_id), never the one the sender happens to be registered with: a
   * number registered with shop A writing to shop B's number is not B's owner. The sender is
   * matched by phone (E.164, so Meta's 521… and a registered +52… are one number) or by BSUID.
   * A BSUID seen with a known phone for the first time is learned, so the owner's later
   * messages without the phone still match.
   */
  async resolveSender(identity: SenderIdentity, wamid: string | null): Promise<SenderResolution> {
    const waId = identity.waId ? normalizeWaId(identity.waId) : null;
    const found = await this.repo.findSenderContext(identity.phoneNumberId, {
      waId,
      userId: identity.userId,
    });
    if (!found) return { kind: 'unknown_channel' };
    const { channel, tenant } = found;
    let user = found.user;
    if (!user) return { kind: 'unknown_sender', tenant };
    if (identity.userId && waId && user.waId === waId && user.userId !== identity.userId) {
      user = await this.learnUserId(user, identity.userId, wamid);
    }
    return { kind: 'ok', tenant, user, channel };
  }

  /**
   * WhatsApp reported that the user changed numbers (system message user_changed_number): the
   * registration moves to the new number, audited, so the next message from it is answered.
   * A replay of the same notice changes nothing; a new number that already talks for a shop
   * is not taken over (an operator decides).
   */
  async changeNumber(
    user: TenantUser,
    change: { newWaId: string; newUserId: string | null; inboundWamid: string },
  ): Promise<NumberChangeOutcome> {
    const newWaId = normalizeWaId(change.newWaId);
    if (!newWaId) return 'invalid_number';
    try {
      const outcome = await this.repo.transaction(async (tx) => {
        const current = await this.repo.lockUser(tx, user.id);
        if (!current) return 'invalid_number' as const;
        if (current.waId === newWaId) return 'already_moved' as const;
        const holder = await this.repo.findUserByWaId(newWaId, tx);
        if (holder) return 'number_taken' as const;
        await this.repo.setWaId(tx, current.id, newWaId);
        await this.audit(tx, current, 'wa_id', current.waId, newWaId, change.inboundWamid);
        // A new number comes with a new BSUID; the old one no longer names this user.
        if (current.userId !== change.newUserId) {
          await this.repo.setUserId(tx, current.id, change.newUserId);
          await this.audit(
            tx,
            current,
            'user_id',
            current.userId,
            change.newUserId,
            change.inboundWamid,
          );
        }
        return 'moved' as const;
      });
      this.log.log(
        `Number change for tenant ${user.tenantId} user ${user.id} (${change.inboundWamid}): ${outcome}`,
      );
      return outcome;
    } catch (err) {
      if (isUniqueViolation(err)) return 'number_taken';
      throw err;
    }
  }

  /** WhatsApp reported a new BSUID for the user (user_changed_user_id), audited. */
  async changeUserId(user: TenantUser, newUserId: string, inboundWamid: string): Promise<void> {
    if (user.userId === newUserId) return;
    await this.learnUserId(user, newUserId, inboundWamid);
  }

  /** Who changed what, oldest first. */
  identityChanges(tenantUserId: string) {
    return this.repo.changesOf(tenantUserId);
  }

  private async learnUserId(
    user: TenantUser,
    userId: string,
    wamid: string | null,
  ): Promise<TenantUser> {
    try {
      await this.repo.transaction(async (tx) => {
        await this.repo.setUserId(tx, user.id, userId);
        await this.audit(tx, user, 'user_id', user.userId, userId, wamid);
      });
      this.log.log(`Tenant ${user.tenantId} user ${user.id}: business-scoped user id recorded`);
      return { ...user, userId };
    } catch (err) {
      // Another user holds that BSUID: keep answering by phone, let an operator look.
      if (!isUniqueViolation(err)) throw err;
      this.log.warn(`BSUID of tenant ${user.tenantId} user ${user.id} belongs to another user`);
      return user;
    }
  }

  private audit(
    tx: Parameters<TenantsRepository['insertChange']>[0],
    user: TenantUser,
    field: IdentityChange['field'],
    oldValue: string | null,
    newValue: string | null,
    inboundWamid: string | null,
  ): Promise<void> {
    return this.repo.insertChange(tx, {
      tenantId: user.tenantId,
      tenantUserId: user.id,
      field,
      oldValue,
      newValue,
      source: 'whatsapp',
      inboundWamid,
    });
  }

  /** The shop, or TenantNotFoundError (also for an id that is not even a uuid). */
  async require(id: string): Promise<Tenant> {
    const tenant = UUID.test(id) ? await this.repo.findById(id) : null;
    if (!tenant) throw new TenantNotFoundError(id);
    return tenant;
  }

  /**
   * Creates the shop, its owner's number (E.164) and (optionally) its business number in one
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

  /** Renames the shop, moves its time zone or changes whether stock may go below zero. */
  async update(id: string, patch: TenantPatch): Promise<TenantDetails> {
    await this.require(id);
    if (!(await this.repo.update(id, patch))) throw new TenantNotFoundError(id);
    return this.getDetails(id);
  }

  /**
   * Deletes a shop (DELETE /admin/tenants/:id): its people, numbers, model settings and API
   * key, settings are deleted and the row becomes a tombstone kept for the ledger. Returns the
   * business numbers it had, so the caller can erase the messages received on them. Deleting
   * a deleted shop again changes nothing (and returns no numbers).
   */
  async erase(id: string): Promise<{ phoneNumberIds: string[] }> {
    await this.require(id);
    const phoneNumberIds = (await this.repo.channelsOf([id])).map((c) => c.phoneNumberId);
    await this.db.transaction(async (tx) => {
      await this.llmConfig.deleteOf(tx, id);
      await this.settings.deleteOf(tx, id);
      await this.repo.erase(tx, id);
    });
    this.log.log({ event: 'tenant_erased', tenantId: id });
    return { phoneNumberIds };
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
