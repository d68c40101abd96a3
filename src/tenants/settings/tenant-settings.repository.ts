import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SqlExecutor } from '../../database/sql-executor';
import {
  DEFAULT_TENANT_SETTINGS,
  type TenantSettings,
  type TenantSettingsPatch,
} from './tenant-settings.types';

/** The only code that names tenant_settings in SQL. */
@Injectable()
export class TenantSettingsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A deleted shop's settings. */
  async deleteOf(tx: SqlExecutor, tenantId: string): Promise<void> {
    await tx.query(`DELETE FROM tenant_settings WHERE tenant_id = $1`, [tenantId]);
  }

  async find(tenantId: string, executor: SqlExecutor = this.db): Promise<TenantSettings> {
    const rows: Record<string, unknown>[] = await executor.query(
      `SELECT * FROM tenant_settings WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0] ? toSettings(rows[0]) : { tenantId, ...DEFAULT_TENANT_SETTINGS };
  }

  /** Creates the row with defaults when missing; only the fields given change. */
  async update(tenantId: string, patch: TenantSettingsPatch): Promise<TenantSettings> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `INSERT INTO tenant_settings AS s
         (tenant_id, response_cache_enabled, daily_close_enabled, daily_close_time, intent_profiles,
          daily_token_cap)
       VALUES ($1, coalesce($2, true), coalesce($3, false), coalesce($4::time, '21:00'),
               coalesce($5::jsonb, '{}'::jsonb), CASE WHEN $6::boolean THEN $7::integer END)
       ON CONFLICT (tenant_id) DO UPDATE SET
         response_cache_enabled = coalesce($2, s.response_cache_enabled),
         daily_close_enabled = coalesce($3, s.daily_close_enabled),
         daily_close_time = coalesce($4::time, s.daily_close_time),
         intent_profiles = coalesce($5::jsonb, s.intent_profiles),
         daily_token_cap = CASE WHEN $6::boolean THEN $7::integer ELSE s.daily_token_cap END,
         updated_at = now()
       RETURNING *`,
      [
        tenantId,
        patch.responseCacheEnabled ?? null,
        patch.dailyCloseEnabled ?? null,
        patch.dailyCloseTime ?? null,
        patch.intentProfiles ? JSON.stringify(patch.intentProfiles) : null,
        // null is a value here (back to the default), so "given" travels apart from it.
        patch.dailyTokenCap !== undefined,
        patch.dailyTokenCap ?? null,
      ],
    );
    return toSettings(rows[0]);
  }

  /** Shops with the daily close on, with their time zone and local close time. */
  async dailyCloseShops(): Promise<{ tenantId: string; timezone: string; time: string }[]> {
    const rows: { tenant_id: string; timezone: string; time: string }[] = await this.db.query(
      `SELECT s.tenant_id, t.timezone, to_char(s.daily_close_time, 'HH24:MI') AS time
         FROM tenant_settings s JOIN tenants t ON t.id = s.tenant_id
        WHERE s.daily_close_enabled AND t.status = 'active'
        ORDER BY s.tenant_id`,
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, timezone: r.timezone, time: r.time }));
  }
}

function toSettings(r: Record<string, unknown>): TenantSettings {
  return {
    tenantId: r.tenant_id as string,
    responseCacheEnabled: r.response_cache_enabled as boolean,
    dailyCloseEnabled: r.daily_close_enabled as boolean,
    dailyCloseTime: String(r.daily_close_time).slice(0, 5),
    intentProfiles: (r.intent_profiles ?? {}) as TenantSettings['intentProfiles'],
    dailyTokenCap: r.daily_token_cap === null ? null : Number(r.daily_token_cap),
  };
}
