import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { migrations } from '../../database/migrations';
import { TenantIdentities1763900000600 } from '../../database/migrations/1763900000600-tenant-identities';
import { ADMIN_DB_URL, databaseUrlFor, dropDatabase } from '../../dev/support/database';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { Client } from 'pg';

/** The rows that existed before numbers were stored E.164: converted, or refused with their ids. */
describe('migration TenantIdentities1763900000600 (existing rows)', () => {
  const before = migrations.slice(0, migrations.indexOf(TenantIdentities1763900000600));
  let name: string;
  let ds: DataSource;

  beforeEach(async () => {
    name = `changarrito_mig_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: ADMIN_DB_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    ds = await new DataSource({
      ...dataSourceOptions(databaseUrlFor(name)),
      migrations: before,
    }).initialize();
    await ds.runMigrations({ transaction: 'each' });
  });
  afterEach(async () => {
    await ds?.destroy();
    await dropDatabase(name);
  });

  async function owner(waId: string): Promise<string> {
    const [t] = (await ds.query(`INSERT INTO tenants (name) VALUES ('T') RETURNING id`)) as {
      id: string;
    }[];
    const [u] = (await ds.query(
      `INSERT INTO tenant_users (tenant_id, wa_id) VALUES ($1, $2) RETURNING id`,
      [t.id, waId],
    )) as { id: string }[];
    return u.id;
  }

  const migrate = () => new TenantIdentities1763900000600().up(ds.createQueryRunner());

  it("stores Meta's digits as E.164, dropping Mexico's old mobile 1", async () => {
    const mx = await owner('5215512345678');
    const mxNew = await owner('523312345678');
    const us = await owner('16505551234');
    await migrate();
    const rows = (await ds.query(`SELECT id, wa_id, user_id FROM tenant_users`)) as {
      id: string;
      wa_id: string;
    }[];
    const byId = new Map(rows.map((r) => [r.id, r.wa_id]));
    expect(byId.get(mx)).toBe('+525512345678');
    expect(byId.get(mxNew)).toBe('+523312345678');
    expect(byId.get(us)).toBe('+16505551234');
    await expect(
      ds.query(
        `INSERT INTO tenant_users (tenant_id, wa_id) SELECT tenant_id, '5215500000000' FROM tenant_users LIMIT 1`,
      ),
    ).rejects.toThrow(/tenant_users_wa_id_e164/);
  });

  it('stops, naming the row, when a stored wa_id cannot be a phone number', async () => {
    const bad = await owner('0123456789012345678');
    await expect(migrate()).rejects.toThrow(new RegExp(bad));
  });

  it('stops, naming the rows, when two of them are one number in two formats', async () => {
    const a = await owner('5215512345678');
    const b = await owner('525512345678');
    await expect(migrate()).rejects.toThrow(new RegExp(`${[a, b].sort().join(' = ')}`));
  });
});
