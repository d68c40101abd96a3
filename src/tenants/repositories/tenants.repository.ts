import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SqlExecutor } from '../../database/sql-executor';
import type { NewTenant, Tenant, TenantUser, WhatsappChannel } from '../tenant.types';

/** The only code that names tenants, tenant_users and whatsapp_channels in SQL. */
@Injectable()
export class TenantsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findById(id: string): Promise<Tenant | null> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM tenants WHERE id = $1`,
      [id],
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

  async findUserByWaId(waId: string): Promise<TenantUser | null> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM tenant_users WHERE wa_id = $1`,
      [waId],
    );
    return rows[0] ? toUser(rows[0]) : null;
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

  async channelExists(phoneNumberId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM whatsapp_channels WHERE phone_number_id = $1`,
      [phoneNumberId],
    );
    return rows.length > 0;
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
}

function toTenant(r: Record<string, unknown>): Tenant {
  return {
    id: r.id as string,
    name: r.name as string,
    timezone: r.timezone as string,
    status: r.status as Tenant['status'],
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

function toUser(r: Record<string, unknown>): TenantUser {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    waId: r.wa_id as string,
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
