import type { DataSource } from 'typeorm';
import { normalizeWaId } from '../../src/tenants/phone-number';
import { newPhoneNumberId, newWaId } from './webhook';

export interface TestTenant {
  id: string;
  /** The owner's wa_id as Meta sends it (digits, "521…" for Mexico): what tests put in `from`. */
  ownerWaId: string;
  /** The same number as the shop stores it (E.164). */
  ownerPhone: string;
  /** The shop's business number: where its messages arrive and its replies go out from. */
  phoneNumberId: string;
  name: string;
}

/** Inserts a shop, its owner's number and its business number straight into the database. */
export async function createTenant(
  db: DataSource,
  options: {
    name?: string;
    ownerWaId?: string;
    status?: 'active' | 'suspended';
    timezone?: string;
    phoneNumberId?: string;
  } = {},
): Promise<TestTenant> {
  const name = options.name ?? `Tienda ${Math.random().toString(36).slice(2, 8)}`;
  const ownerWaId = options.ownerWaId ?? newWaId();
  const ownerPhone = normalizeWaId(ownerWaId);
  if (!ownerPhone) throw new Error(`not a wa_id: ${ownerWaId}`);
  const phoneNumberId = options.phoneNumberId ?? newPhoneNumberId();
  const [tenant] = (await db.query(
    `INSERT INTO tenants (name, status, timezone) VALUES ($1, $2, $3) RETURNING id`,
    [name, options.status ?? 'active', options.timezone ?? 'America/Mexico_City'],
  )) as { id: string }[];
  await db.query(`INSERT INTO tenant_users (tenant_id, wa_id, role) VALUES ($1, $2, 'owner')`, [
    tenant.id,
    ownerPhone,
  ]);
  await db.query(`INSERT INTO whatsapp_channels (tenant_id, phone_number_id) VALUES ($1, $2)`, [
    tenant.id,
    phoneNumberId,
  ]);
  return { id: tenant.id, ownerWaId, ownerPhone, phoneNumberId, name };
}
