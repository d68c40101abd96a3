import { Injectable } from '@nestjs/common';
import type { TenantSettings, TenantSettingsPatch } from './tenant-settings.types';
import { TenantSettingsRepository } from './tenant-settings.repository';

export type { TenantSettings, TenantSettingsPatch };

/**
 * How long the answer path reuses a read of a shop's settings (getRecent). One answer reads
 * them three or four times (daily cap, model routing, the response cache of each round): two
 * thirds of those were repeated SELECTs of the same row. A change made through this service is
 * seen at once by this process; other processes' answers see it within this long. Everything
 * else (admin API, the daily close's decision to send) reads the row (get).
 */
export const SETTINGS_REUSE_MS = 1_000;

/** A shop's switches: response cache, daily close, per-intent model profiles. */
@Injectable()
export class TenantSettingsService {
  private readonly recent = new Map<string, { at: number; settings: Promise<TenantSettings> }>();

  constructor(private readonly repo: TenantSettingsRepository) {}

  get(tenantId: string): Promise<TenantSettings> {
    return this.repo.find(tenantId);
  }

  /** The settings as read at most SETTINGS_REUSE_MS ago: for the answer path's repeated reads. */
  getRecent(tenantId: string): Promise<TenantSettings> {
    const now = Date.now();
    const hit = this.recent.get(tenantId);
    if (hit && now - hit.at < SETTINGS_REUSE_MS) return hit.settings;
    const settings = this.repo.find(tenantId);
    this.recent.set(tenantId, { at: now, settings });
    // A failed read is not reused; old entries go when the map grows (one per active shop).
    settings.catch(() => {
      if (this.recent.get(tenantId)?.settings === settings) this.recent.delete(tenantId);
    });
    if (this.recent.size > 10_000) this.forgetStale(now);
    return settings;
  }

  async update(tenantId: string, patch: TenantSettingsPatch): Promise<TenantSettings> {
    this.recent.delete(tenantId);
    const updated = await this.repo.update(tenantId, patch);
    this.recent.delete(tenantId);
    return updated;
  }

  dailyCloseShops(): Promise<{ tenantId: string; timezone: string; time: string }[]> {
    return this.repo.dailyCloseShops();
  }

  private forgetStale(now: number): void {
    for (const [id, entry] of this.recent) {
      if (now - entry.at >= SETTINGS_REUSE_MS) this.recent.delete(id);
    }
  }
}
