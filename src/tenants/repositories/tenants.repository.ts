import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SqlExecutor } from '../../database/sql-executor';
import type {
  IdentityChange,
  NewTenant,
  Tenant,
  TenantPatch,
  TenantUser,
  WhatsappChannel,
} from '../tenant.types';

/** The only code that names tenants, tenant_users, tenant_user_changes and whatsapp_channels in SQL. */
@Injectable()
export class TenantsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Erases a shop's people and numbers and turns its row into a tombstone (name blanked,
   * status 'deleted'): the ledger, purchases and usage still reference it. Pending actions of
   * its people go with them (ON DELETE CASCADE). Inside the caller's transaction.
   */
  async erase(tx: SqlExecutor, id: string): Promise<void> {
    await tx.query(`DELETE FROM tenant_user_changes WHERE tenant_id = $1`, [id]);
    await tx.query(`DELETE FROM tenant_users WHERE tenant_id = $1`, [id]);
    await tx.query(`DELETE FROM whatsapp_channels WHERE tenant_id = $1`, [id]);
    await tx.query(
      `UPDATE tenants SET name = '(eliminada)', status = 'deleted',
              deleted_at = coalesce(deleted_at, now()), updated_at = now()
        WHERE id = $1`,
      [id],
    );
  }

  async findById(id: string): Promise<Tenant | null> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM tenants WHERE id = $1`,
      [id],
    );
    return rows[0] ? toTenant(rows[0]) : null;
  }

  /** Changes the fields given (absent = unchanged); null when there is no such shop. */
  async update(id: string, patch: TenantPatch): Promise<Tenant | null> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `UPDATE tenants SET
         name = coalesce($2, name),
         timezone = coalesce($3, timezone),
         allow_negative_stock = coalesce($4, allow_negative_stock),
         updated_at = now()
       WHERE id = $1
       RETURNING *`,
      [id, patch.name ?? null, patch.timezone ?? null, patch.allowNegativeStock ?? null],
    );
    return rows[0] ? toTenant(rows[0]) : null;
  }

  /** Newest first. */
  async list(limit: number, offset: number): Promise<Tenant[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM tenants ORDER BY created_at DESC, id LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    return rows.map(toTenant);
  }

  /** By E.164 phone, in any shop (a number talks for one shop only). */
  async findUserByWaId(waId: string, executor: SqlExecutor = this.db): Promise<TenantUser | null> {
    const rows: Record<string, unknown>[] = await executor.query(
      `SELECT * FROM tenant_users WHERE wa_id = $1`,
      [waId],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  async lockUser(tx: SqlExecutor, id: string): Promise<TenantUser | null> {
    const rows: Record<string, unknown>[] = await tx.query(
      `SELECT * FROM tenant_users WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  async setWaId(tx: SqlExecutor, id: string, waId: string): Promise<void> {
    await tx.query(`UPDATE tenant_users SET wa_id = $2 WHERE id = $1`, [id, waId]);
  }

  async setUserId(tx: SqlExecutor, id: string, userId: string | null): Promise<void> {
    await tx.query(`UPDATE tenant_users SET user_id = $2 WHERE id = $1`, [id, userId]);
  }

  async insertChange(tx: SqlExecutor, c: IdentityChange): Promise<void> {
    await tx.query(
      `INSERT INTO tenant_user_changes
         (tenant_id, tenant_user_id, field, old_value, new_value, source, inbound_wamid)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [c.tenantId, c.tenantUserId, c.field, c.oldValue, c.newValue, c.source, c.inboundWamid],
    );
  }

  async changesOf(tenantUserId: string): Promise<(IdentityChange & { createdAt: Date })[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM tenant_user_changes WHERE tenant_user_id = $1 ORDER BY id`,
      [tenantUserId],
    );
    return rows.map((r) => ({
      tenantId: r.tenant_id as string,
      tenantUserId: r.tenant_user_id as string,
      field: r.field as IdentityChange['field'],
      oldValue: r.old_value as string | null,
      newValue: r.new_value as string | null,
      source: r.source as IdentityChange['source'],
      inboundWamid: r.inbound_wamid as string | null,
      createdAt: r.created_at as Date,
    }));
  }

  async usersOf(tenantIds: string[]): Promise<TenantUser[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM tenant_users WHERE tenant_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [tenantIds],
    );
    return rows.map(toUser);
  }

  async channelsOf(tenantIds: string[]): Promise<WhatsappChannel[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM whatsapp_channels WHERE tenant_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [tenantIds],
    );
    return rows.map(toChannel);
  }

  /**
   * The business number, its shop and the sender among that shop's users, in one round trip
   * (it runs for every inbound message): null when the number is not registered; `user` null
   * when the sender is not one of the shop's users. A phone match wins over a BSUID match.
   */
  async findSenderContext(
    phoneNumberId: string,
    identity: { waId: string | null; userId: string | null },
  ): Promise<{ channel: WhatsappChannel; tenant: Tenant; user: TenantUser | null } | null> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT c.id AS c_id, c.tenant_id AS c_tenant_id, c.phone_number_id AS c_phone_number_id,
              c.display_phone_number AS c_display_phone_number, c.created_at AS c_created_at,
              t.id AS t_id, t.name AS t_name, t.timezone AS t_timezone, t.status AS t_status,
              t.allow_negative_stock AS t_allow_negative_stock, t.created_at AS t_created_at,
              t.updated_at AS t_updated_at,
              u.id AS u_id, u.tenant_id AS u_tenant_id, u.wa_id AS u_wa_id, u.user_id AS u_user_id,
              u.role AS u_role, u.name AS u_name, u.created_at AS u_created_at
         FROM whatsapp_channels c
         JOIN tenants t ON t.id = c.tenant_id
         LEFT JOIN LATERAL (
           SELECT * FROM tenant_users
            WHERE tenant_id = t.id AND (wa_id = $2 OR user_id = $3)
            ORDER BY (wa_id = $2) DESC NULLS LAST
            LIMIT 1
         ) u ON true
        WHERE c.phone_number_id = $1`,
      [phoneNumberId, identity.waId, identity.userId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      channel: toChannel(prefixed(row, 'c_')),
      tenant: toTenant(prefixed(row, 't_')),
      user: row.u_id ? toUser(prefixed(row, 'u_')) : null,
    };
  }

  async findChannel(phoneNumberId: string): Promise<WhatsappChannel | null> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM whatsapp_channels WHERE phone_number_id = $1`,
      [phoneNumberId],
    );
    return rows[0] ? toChannel(rows[0]) : null;
  }

  async channelExists(phoneNumberId: string): Promise<boolean> {
    return (await this.findChannel(phoneNumberId)) !== null;
  }

  /** The shop, its owner and (optionally) its business number; inside the caller's transaction. */
  async insert(tx: SqlExecutor, input: NewTenant): Promise<string> {
    const [tenant] = (await tx.query(
      `INSERT INTO tenants (name, timezone) VALUES ($1, COALESCE($2, 'America/Mexico_City'))
       RETURNING id`,
      [input.name, input.timezone ?? null],
    )) as { id: string }[];
    await tx.query(`INSERT INTO tenant_users (tenant_id, wa_id, role) VALUES ($1, $2, 'owner')`, [
      tenant.id,
      input.ownerWaId,
    ]);
    if (input.phoneNumberId) {
      await tx.query(`INSERT INTO whatsapp_channels (tenant_id, phone_number_id) VALUES ($1, $2)`, [
        tenant.id,
        input.phoneNumberId,
      ]);
    }
    return tenant.id;
  }

  /** Runs `work` in a transaction of its own. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }
}

/** The columns of one joined table, by their alias prefix, under their own names. */
function prefixed(row: Record<string, unknown>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value;
  }
  return out;
}

function toTenant(r: Record<string, unknown>): Tenant {
  return {
    id: r.id as string,
    name: r.name as string,
    timezone: r.timezone as string,
    status: r.status as Tenant['status'],
    allowNegativeStock: r.allow_negative_stock !== false,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

function toUser(r: Record<string, unknown>): TenantUser {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    waId: r.wa_id as string,
    userId: (r.user_id as string | null) ?? null,
    role: r.role as TenantUser['role'],
    name: r.name as string | null,
    createdAt: r.created_at as Date,
  };
}

function toChannel(r: Record<string, unknown>): WhatsappChannel {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    phoneNumberId: r.phone_number_id as string,
    displayPhoneNumber: r.display_phone_number as string | null,
    createdAt: r.created_at as Date,
  };
}
