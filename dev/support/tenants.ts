import type { DataSource } from 'typeorm';
import { newWaId } from './webhook';

export interface TestTenant {
  id: string;
  ownerWaId: string;
  name: string;
}

/** Inserts a shop and its owner's number straight into the database. */
export async function createTenant(
  db: DataSource,
  options: {
    name?: string;
    ownerWaId?: string;
    status?: 'active' | 'suspended';
    timezone?: string;
  } = {},
): Promise<TestTenant> {
  const name = options.name ?? `Tienda ${Math.random().toString(36).slice(2, 8)}`;
  const ownerWaId = options.ownerWaId ?? newWaId();
  const [tenant] = (await db.query(
    `INSERT INTO tenants (name, status, timezone) VALUES ($1, $2, $3) RETURNING id`,
    [name, options.status ?? 'active', options.timezone ?? 'America/Mexico_City'],
  )) as { id: string }[];
  await db.query(`INSERT INTO tenant_users (tenant_id, wa_id, role) VALUES ($1, $2, 'owner')`, [
    tenant.id,
    ownerWaId,
  ]);
  return { id: tenant.id, ownerWaId, name };
}
