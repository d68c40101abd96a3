import { randomBytes } from 'node:crypto';
import { createMigratedDatabase } from '../../dev/support/database';

/**
 * One fresh database and one Redis key prefix per `npm test` run, so runs never collide and
 * never depend on leftovers. Workers inherit these variables.
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const dbName = `changarrito_test_${runId}`;
  process.env.TEST_RUN_ID = runId;
  process.env.TEST_DB_NAME = dbName;
  process.env.DATABASE_URL = await createMigratedDatabase(dbName);
  process.env.QUEUE_PREFIX = `test_${runId}`;
}
