import { randomBytes } from 'node:crypto';
import { createLeastPrivilegeDatabase } from '../../dev/support/database';

/**
 * One fresh database and one Redis key prefix per `npm test` run, so runs never collide and
 * never depend on leftovers. Workers inherit these variables. Like a deployment, the database
 * belongs to an owner role that runs the migrations (DATABASE_MIGRATION_URL), and the app under
 * test connects as a role that owns nothing and holds only its grants (DATABASE_URL).
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const dbName = `changarrito_test_${runId}`;
  process.env.TEST_RUN_ID = runId;
  process.env.TEST_DB_NAME = dbName;
  const { appUrl, ownerUrl } = await createLeastPrivilegeDatabase(dbName);
  process.env.DATABASE_URL = appUrl;
  process.env.DATABASE_MIGRATION_URL = ownerUrl;
  process.env.QUEUE_PREFIX = `test_${runId}`;
}
