import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { ownerDataSource, TEST_APP_ROLE, TEST_OWNER_ROLE } from '../../dev/support/database';
import { applyAppGrants } from '../../src/database/app-grants';

/**
 * The app connects as a role that owns nothing and holds only its grants; migrations ran as
 * the owner (test/setup/global-setup, like the migration Job). The ledger cannot be rewritten
 * by the app's role, not even by switching its append-only triggers off.
 */
describe('least-privilege app role', () => {
  let app: Client;
  let owner: DataSource;
  let tenantId: string;

  beforeAll(async () => {
    app = new Client({ connectionString: process.env.DATABASE_URL });
    await app.connect();
    owner = await ownerDataSource();
    const [t] = (await app.query(`INSERT INTO tenants (name) VALUES ('Rol') RETURNING id`))
      .rows as { id: string }[];
    tenantId = t.id;
    // INSERT is what the app needs on the ledger.
    await app.query(
      `INSERT INTO token_ledger (tenant_id, entry_type, tokens, available_delta, reserved_delta,
         available_after, reserved_after, reason)
       VALUES ($1, 'credit', 100, 100, 0, 100, 0, 'test')`,
      [tenantId],
    );
  });
  afterAll(async () => {
    await app?.end();
    await owner?.destroy();
  });

  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'succeeded',
      (err: { code?: string }) => err.code,
    );

  it('is the app role, not a superuser, and owns nothing', async () => {
    const me = await app.query(
      `SELECT current_user AS name, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(me.rows[0]).toEqual({
      name: TEST_APP_ROLE,
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolbypassrls: false,
    });
    const owned = await app.query(
      `SELECT (SELECT count(*) FROM pg_class WHERE relowner = current_user::regrole)::int
            + (SELECT count(*) FROM pg_namespace WHERE nspowner = current_user::regrole)::int
            + (SELECT count(*) FROM pg_proc WHERE proowner = current_user::regrole)::int AS n`,
    );
    expect(owned.rows[0].n).toBe(0);
    const tables = await app.query(
      `SELECT tableowner, count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' GROUP BY 1`,
    );
    expect(tables.rows.map((r) => r.tableowner)).toEqual([TEST_OWNER_ROLE]);
  });

  it('may SELECT and INSERT the ledger but not UPDATE, DELETE or TRUNCATE it', async () => {
    expect(
      (await app.query('SELECT count(*)::int AS n FROM token_ledger')).rows[0].n,
    ).toBeGreaterThan(0);
    expect(
      await code(app.query(`UPDATE token_ledger SET tokens = 1 WHERE tenant_id = $1`, [tenantId])),
    ).toBe('42501');
    expect(await code(app.query(`DELETE FROM token_ledger WHERE tenant_id = $1`, [tenantId]))).toBe(
      '42501',
    );
    expect(await code(app.query(`TRUNCATE token_ledger`))).toBe('42501');
  });

  it('cannot SET session_replication_role (which would skip the append-only triggers)', async () => {
    await app.query('BEGIN');
    try {
      expect(await code(app.query(`SET LOCAL session_replication_role = replica`))).toBe('42501');
    } finally {
      await app.query('ROLLBACK');
    }
    expect(await code(app.query(`SET session_replication_role = replica`))).toBe('42501');
    const rows = await app.query(`SELECT tokens FROM token_ledger WHERE tenant_id = $1`, [
      tenantId,
    ]);
    expect(rows.rows).toEqual([{ tokens: 100 }]);
  });

  it('cannot create, alter or drop tables, nor disable the ledger triggers', async () => {
    expect(await code(app.query(`CREATE TABLE app_role_probe (id int)`))).toBe('42501');
    expect(await code(app.query(`ALTER TABLE token_ledger DISABLE TRIGGER ALL`))).toBe('42501');
    expect(await code(app.query(`DROP TABLE token_usage`))).toBe('42501');
    expect(await code(app.query(`INSERT INTO migrations (timestamp, name) VALUES (1, 'x')`))).toBe(
      '42501',
    );
  });

  it('has no TRUNCATE anywhere and read access to every table', async () => {
    const rows = await app.query(
      `SELECT tablename,
              has_table_privilege(current_user, quote_ident(tablename), 'SELECT') AS can_select,
              has_table_privilege(current_user, quote_ident(tablename), 'TRUNCATE') AS can_truncate
         FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    );
    expect(rows.rows.length).toBeGreaterThan(10);
    expect(rows.rows.filter((r) => !r.can_select || r.can_truncate)).toEqual([]);
  });

  it('a table created by a later migration is reachable once the grants step has run again', async () => {
    const table = `grants_probe_${Date.now()}`;
    await owner.query(`CREATE TABLE ${table} (id bigserial PRIMARY KEY, v text)`);
    try {
      // Fail closed until the step runs (no default privileges).
      expect(await code(app.query(`INSERT INTO ${table} (v) VALUES ('a')`))).toBe('42501');
      const runner = owner.createQueryRunner();
      try {
        await applyAppGrants(runner, TEST_APP_ROLE);
      } finally {
        await runner.release();
      }
      await app.query(`INSERT INTO ${table} (v) VALUES ('a')`);
      expect((await app.query(`SELECT v FROM ${table}`)).rows).toEqual([{ v: 'a' }]);
      // Re-running the step keeps the ledger append-only.
      expect(
        await code(app.query(`DELETE FROM token_ledger WHERE tenant_id = $1`, [tenantId])),
      ).toBe('42501');
    } finally {
      await owner.query(`DROP TABLE ${table}`);
    }
  });
});
