import type { DataSource } from 'typeorm';

/**
 * Names of the migrations this build ships that the database has not applied. Read-only (the
 * TypeORM migrations table, never created here), so a readiness probe can run it.
 */
export async function pendingMigrations(db: DataSource): Promise<string[]> {
  const table = db.options.migrationsTableName ?? 'migrations';
  const [found] = (await db.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [
    `"${table}"`,
  ])) as { exists: boolean }[];
  // No migrations table yet: a fresh database, nothing applied.
  const rows = found?.exists
    ? ((await db.query(`SELECT name FROM "${table}"`)) as { name: string }[])
    : [];
  const applied = new Set(rows.map((r) => r.name));
  // As TypeORM names them: the `name` property, else the class name (which has the timestamp).
  return db.migrations
    .map((m) => m.name ?? m.constructor.name)
    .filter((name) => !applied.has(name));
}
