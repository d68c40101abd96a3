/** PostgreSQL's SQLSTATE of an error raised through pg or wrapped by TypeORM's QueryFailedError. */
function sqlState(err: unknown): { code?: unknown; constraint?: unknown } | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { code?: unknown; constraint?: unknown; driverError?: unknown };
  const driver = (e.driverError ?? e) as { code?: unknown; constraint?: unknown };
  return { code: e.code ?? driver.code, constraint: e.constraint ?? driver.constraint };
}

/** unique_violation (23505), optionally of one constraint. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const s = sqlState(err);
  if (s?.code !== '23505') return false;
  return constraint === undefined || s.constraint === constraint;
}

/** foreign_key_violation (23503): the row it points at does not exist (or went away). */
export function isForeignKeyViolation(err: unknown): boolean {
  return sqlState(err)?.code === '23503';
}
