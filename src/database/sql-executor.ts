import type { EntityManager } from 'typeorm';

/**
 * What a repository needs to run SQL: the DataSource, or the EntityManager of a transaction an
 * owner of another table opened (so a reply, its charge and its turn commit together).
 */
export type SqlExecutor = Pick<EntityManager, 'query'>;

/** TypeORM answers UPDATE/DELETE … RETURNING with [rows, affectedCount]; this takes the rows. */
export function returnedRows<T>(result: unknown): T[] {
  const [rows] = result as [T[], number];
  return rows;
}

/** The affected-row count of an UPDATE/DELETE (TypeORM's [rows, count] answer). */
export function affectedCount(result: unknown): number {
  return (result as [unknown[], number])[1];
}
