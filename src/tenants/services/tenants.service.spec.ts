import type { DataSource } from 'typeorm';
import type { TenantsRepository } from '../repositories/tenants.repository';
import type { Tenant, TenantUser } from '../tenant.types';
import { ChannelTakenError, TenantNotFoundError, WaNumberTakenError } from '../tenants.errors';
import { TenantsService } from './tenants.service';

/** TenantsService over a mocked repository: the rules, not the SQL (test/admin has the SQL). */
describe('TenantsService', () => {
  const tenant: Tenant = {
    id: '6f1c2d3e-4b5a-4c6d-8e7f-901234567890',
    name: 'Abarrotes Lupita',
    timezone: 'America/Mexico_City',
    status: 'active',
    allowNegativeStock: true,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };
  const owner: TenantUser = {
    id: 'u1',
    tenantId: tenant.id,
    waId: '+525512345678',
    userId: null,
    role: 'owner',
    name: null,
    createdAt: new Date(0),
  };
  const channel = {
    id: 'c1',
    tenantId: tenant.id,
    phoneNumberId: '106540352242922',
    displayPhoneNumber: null,
    createdAt: new Date(0),
  };
  let repo: jest.Mocked<
    Pick<
      TenantsRepository,
      'findById' | 'findUserByWaId' | 'channelExists' | 'insert' | 'findSenderContext'
    >
  >;
  let db: { transaction: jest.Mock };
  let service: TenantsService;

  beforeEach(() => {
    repo = {
      findById: jest.fn().mockResolvedValue(tenant),
      findUserByWaId: jest.fn().mockResolvedValue(null),
      channelExists: jest.fn().mockResolvedValue(false),
      insert: jest.fn(),
      findSenderContext: jest.fn().mockResolvedValue({ channel, tenant, user: null }),
    };
    db = { transaction: jest.fn() };
    service = new TenantsService(
      repo as unknown as TenantsRepository,
      db as unknown as DataSource,
      {} as never,
      {} as never,
    );
  });

  it('refuses an id that is not a uuid without asking the database', async () => {
    await expect(service.require('nope')).rejects.toBeInstanceOf(TenantNotFoundError);
    expect(repo.findById).not.toHaveBeenCalled();
  });

  it('refuses an unknown shop', async () => {
    repo.findById.mockResolvedValue(null);
    await expect(service.require(tenant.id)).rejects.toMatchObject({
      code: 'TENANT_NOT_FOUND',
      message: `No tenant ${tenant.id}`,
    });
  });

  it("finds the shop by the business number, then the sender among that shop's users", async () => {
    repo.findSenderContext.mockResolvedValueOnce({ channel, tenant, user: owner });
    const identity = { phoneNumberId: channel.phoneNumberId, waId: '5215512345678', userId: null };
    await expect(service.resolveSender(identity, 'w1')).resolves.toEqual({
      kind: 'ok',
      tenant,
      user: owner,
      channel,
    });
    // Meta's 521… form is looked up as the E.164 the owner was registered with.
    expect(repo.findSenderContext).toHaveBeenCalledWith(channel.phoneNumberId, {
      waId: '+525512345678',
      userId: null,
    });
    await expect(
      service.resolveSender({ ...identity, waId: '5215500000000' }, 'w2'),
    ).resolves.toEqual({
      kind: 'unknown_sender',
      tenant,
    });
    repo.findSenderContext.mockResolvedValueOnce(null);
    await expect(service.resolveSender(identity, 'w3')).resolves.toEqual({
      kind: 'unknown_channel',
    });
  });

  it('refuses a taken owner number or business number before opening a transaction', async () => {
    repo.findUserByWaId.mockResolvedValueOnce(owner);
    await expect(service.create({ name: 'Otra', ownerWaId: owner.waId })).rejects.toBeInstanceOf(
      WaNumberTakenError,
    );
    repo.channelExists.mockResolvedValueOnce(true);
    await expect(
      service.create({ name: 'Otra', ownerWaId: '+525500000001', phoneNumberId: '123' }),
    ).rejects.toBeInstanceOf(ChannelTakenError);
    expect(db.transaction).not.toHaveBeenCalled();
  });

  it('turns the race a unique constraint decides into the same refusal', async () => {
    db.transaction.mockRejectedValue(Object.assign(new Error('duplicate key'), { code: '23505' }));
    await expect(
      service.create({ name: 'Otra', ownerWaId: '+525500000002' }),
    ).rejects.toBeInstanceOf(WaNumberTakenError);
  });
});
