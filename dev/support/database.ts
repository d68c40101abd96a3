import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { applyAppGrants } from '../../src/database/app-grants';
import { dataSourceOptions } from '../../src/database/data-source-options';

export const ADMIN_DB_URL =
  process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrlFor(name: string): string {
  const u = new URL(ADMIN_DB_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates a fresh database and runs every migration on it. */
export async function createMigratedDatabase(name: string): Promise<string> {
  const admin = new Client({ connectionString: ADMIN_DB_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrlFor(name);
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
  return url;
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_DB_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * The test run's two roles (cluster-wide, shared by every run, never dropped): the schema
 * owner that runs the migrations, and the app's role that owns nothing (src/database/app-grants).
 * Neither is a superuser; the machine trusts 127.0.0.1, so they need no password.
 */
export const TEST_OWNER_ROLE = 'changarrito_test_owner';
export const TEST_APP_ROLE = 'changarrito_test_app';

export function databaseUrlAs(role: string, name: string): string {
  const u = new URL(databaseUrlFor(name));
  u.username = role;
  u.password = '';
  return u.toString();
}

/** Creates the two roles if missing (serialized: several test runs may start at once). */
export async function ensureTestRoles(): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_DB_URL });
  await admin.connect();
  try {
    await admin.query(`SELECT pg_advisory_lock(hashtext('changarrito_test_roles'))`);
    for (const role of [TEST_OWNER_ROLE, TEST_APP_ROLE]) {
      const found = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (found.rowCount === 0) {
        await admin.query(
          `CREATE ROLE "${role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`,
        );
      }
    }
  } finally {
    await admin.end();
  }
}

/**
 * A fresh database owned by the owner role, migrated as the owner, with the app role granted
 * its privileges: what a deployment's migration Job does. Returns both URLs.
 */
export async function createLeastPrivilegeDatabase(
  name: string,
): Promise<{ appUrl: string; ownerUrl: string }> {
  await ensureTestRoles();
  const admin = new Client({ connectionString: ADMIN_DB_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" OWNER "${TEST_OWNER_ROLE}"`);
  } finally {
    await admin.end();
  }
  const ownerUrl = databaseUrlAs(TEST_OWNER_ROLE, name);
  const ds = new DataSource(dataSourceOptions(ownerUrl));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    const runner = ds.createQueryRunner();
    try {
      await applyAppGrants(runner, TEST_APP_ROLE);
    } finally {
      await runner.release();
    }
  } finally {
    await ds.destroy();
  }
  return { appUrl: databaseUrlAs(TEST_APP_ROLE, name), ownerUrl };
}

/**
 * A connection to the run's database as its owner, for fixtures the app's role may not do
 * (DDL, TRUNCATE, checking the ledger's own triggers). Tests that only insert rows use the
 * app's DataSource like the app does.
 */
export async function ownerDataSource(): Promise<DataSource> {
  const url = process.env.DATABASE_MIGRATION_URL;
  if (!url) throw new Error('DATABASE_MIGRATION_URL is not set (test/setup/global-setup sets it)');
  const ds = new DataSource({ ...dataSourceOptions(url), extra: { max: 2 } });
  return ds.initialize();
}

/**
 * A database of the suite's own (migrated, least-privilege like the run's), for suites whose
 * app scans every row of a table (the inbox reconciler, the unknown-replies pass): on the run's
 * shared database the apps of suites running in parallel would take each other's rows (each
 * with its own queue prefix sees no live job for the other's row and re-queues it). Returns the
 * variables for startApp and a drop for afterAll.
 */
export async function isolatedDatabase(
  label: string,
): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const name = `${process.env.TEST_DB_NAME ?? 'changarrito_test'}_${label}`;
  const { appUrl, ownerUrl } = await createLeastPrivilegeDatabase(name);
  return {
    env: { DATABASE_URL: appUrl, DATABASE_MIGRATION_URL: ownerUrl },
    drop: () => dropDatabase(name),
  };
}
