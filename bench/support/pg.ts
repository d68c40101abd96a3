import { Pool } from 'pg';

/**
 * A small pool for a benchmark's own queries (seeding, checks). pg-pool's end() does not wait
 * for its connections to close, so DROP DATABASE … WITH (FORCE) at teardown can still kill one
 * and the pool re-emits that error: expected then, and it must not crash the run mid-cleanup.
 */
export function benchPool(connectionString: string): Pool {
  const pool = new Pool({ connectionString, max: 4 });
  pool.on('error', () => undefined);
  return pool;
}
