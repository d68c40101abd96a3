import type { TenantSettingsRepository } from './tenant-settings.repository';
import { SETTINGS_REUSE_MS, TenantSettingsService } from './tenant-settings.service';
import { DEFAULT_TENANT_SETTINGS, type TenantSettings } from './tenant-settings.types';

describe('TenantSettingsService', () => {
  let now: number;
  let repo: { find: jest.Mock; update: jest.Mock; dailyCloseShops: jest.Mock };
  let service: TenantSettingsService;
  const settings = (dailyTokenCap: number | null): TenantSettings => ({
    ...DEFAULT_TENANT_SETTINGS,
    tenantId: 't1',
    dailyTokenCap,
  });

  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    repo = { find: jest.fn(), update: jest.fn(), dailyCloseShops: jest.fn() };
    service = new TenantSettingsService(repo as unknown as TenantSettingsRepository);
  });

  afterEach(() => jest.restoreAllMocks());

  it('reads a shop once per window, and again after it', async () => {
    repo.find.mockResolvedValueOnce(settings(100)).mockResolvedValueOnce(settings(200));
    expect((await service.getRecent('t1')).dailyTokenCap).toBe(100);
    now += SETTINGS_REUSE_MS - 1;
    expect((await service.getRecent('t1')).dailyTokenCap).toBe(100);
    expect(repo.find).toHaveBeenCalledTimes(1);
    now += 1;
    expect((await service.getRecent('t1')).dailyTokenCap).toBe(200);
    expect(repo.find).toHaveBeenCalledTimes(2);
  });

  it('keeps shops apart', async () => {
    repo.find.mockImplementation((id: string) => Promise.resolve(settings(id === 't1' ? 1 : 2)));
    expect((await service.getRecent('t1')).dailyTokenCap).toBe(1);
    expect((await service.getRecent('t2')).dailyTokenCap).toBe(2);
    expect(repo.find).toHaveBeenCalledTimes(2);
  });

  it('sees its own update at once', async () => {
    repo.find.mockResolvedValueOnce(settings(100)).mockResolvedValueOnce(settings(300));
    repo.update.mockResolvedValue(settings(300));
    await service.getRecent('t1');
    await service.update('t1', { dailyTokenCap: 300 });
    expect((await service.getRecent('t1')).dailyTokenCap).toBe(300);
    expect(repo.find).toHaveBeenCalledTimes(2);
  });

  it('get always reads the row (admin API, the daily close)', async () => {
    repo.find.mockResolvedValueOnce(settings(1)).mockResolvedValueOnce(settings(2));
    await service.getRecent('t1');
    expect((await service.get('t1')).dailyTokenCap).toBe(2);
  });

  it('does not reuse a failed read', async () => {
    repo.find.mockRejectedValueOnce(new Error('connection refused'));
    repo.find.mockResolvedValueOnce(settings(5));
    await expect(service.getRecent('t1')).rejects.toThrow('connection refused');
    expect((await service.getRecent('t1')).dailyTokenCap).toBe(5);
  });
});
