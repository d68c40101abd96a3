/**
 * The least-privilege role the application connects as (DATABASE_URL) when migrations run as
 * the schema owner (DATABASE_MIGRATION_URL). The app role owns nothing; it gets:
 * - USAGE on the schema (no CREATE): it can neither create nor alter tables;
 * - SELECT, INSERT, UPDATE, DELETE on every table (no TRUNCATE, REFERENCES, TRIGGER), except
 *   - APPEND_ONLY tables (token_ledger): SELECT and INSERT only;
 *   - READ_ONLY tables (TypeORM's migrations, read by the readiness probe): SELECT only;
 * - USAGE, SELECT on every sequence (bigserial ids).
 * Not a superuser, so `SET session_replication_role` (which would skip the ledger's append-only
 * triggers) is refused.
 *
 * Applied by the migration CLI after every `run` (and by the test setup), never by a migration:
 * the role name is deployment configuration (the user of DATABASE_URL), and re-running the
 * step after each migration run covers tables a later migration creates. There are
 * deliberately no ALTER DEFAULT PRIVILEGES: a new table is unreachable to the app until the
 * step has run (fail closed), rather than granted UPDATE/DELETE before anyone decided it must
 * be append-only. Every statement is idempotent.
 */
export const APPEND_ONLY_TABLES = ['token_ledger'] as const;
export const READ_ONLY_TABLES = ['migrations'] as const;

export function appGrantStatements(role: string): string[] {
  const r = quoteIdent(role);
  return [
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA public TO ${r}`,
    `REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
    ...APPEND_ONLY_TABLES.map((t) => `REVOKE UPDATE, DELETE ON ${quoteIdent(t)} FROM ${r}`),
    ...READ_ONLY_TABLES.map((t) => `REVOKE INSERT, UPDATE, DELETE ON ${quoteIdent(t)} FROM ${r}`),
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
  ];
}

/** Runs the grants in one transaction on ONE connection (a pg Client or a TypeORM QueryRunner). */
export async function applyAppGrants(
  db: { query(sql: string): Promise<unknown> },
  role: string,
): Promise<void> {
  await db.query('BEGIN');
  try {
    for (const sql of appGrantStatements(role)) await db.query(sql);
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK');
    throw err;
  }
}

/** The role a postgres:// URL logs in as (what the grants are given to). */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username) || 'postgres';
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
