import { Injectable } from '@nestjs/common';
import type { TenantSettings, TenantSettingsPatch } from './tenant-settings.types';
import { TenantSettingsRepository } from './tenant-settings.repository';

export type { TenantSettings, TenantSettingsPatch };

/** A shop's switches: response cache, daily close, per-intent model profiles. */
@Injectable()
export class TenantSettingsService {
  constructor(private readonly repo: TenantSettingsRepository) {}

  get(tenantId: string): Promise<TenantSettings> {
    return this.repo.find(tenantId);
  }

  update(tenantId: string, patch: TenantSettingsPatch): Promise<TenantSettings> {
    return this.repo.update(tenantId, patch);
  }

  dailyCloseShops(): Promise<{ tenantId: string; timezone: string; time: string }[]> {
    return this.repo.dailyCloseShops();
  }
}
