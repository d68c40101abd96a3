/** PostgreSQL's unique_violation, as raised through pg or wrapped by TypeORM's QueryFailedError. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; constraint?: unknown; driverError?: unknown };
  const driver = (e.driverError ?? e) as { code?: unknown; constraint?: unknown };
  const code = e.code ?? driver.code;
  if (code !== '23505') return false;
  return constraint === undefined || (e.constraint ?? driver.constraint) === constraint;
}
