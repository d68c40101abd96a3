import Redis from 'ioredis';
import { deleteKeys } from '../../dev/support/redis-keys';
import { dropDatabase } from '../../dev/support/database';

export default async function globalTeardown(): Promise<void> {
  if (process.env.KEEP_TEST_DB !== '1' && process.env.TEST_DB_NAME) {
    await dropDatabase(process.env.TEST_DB_NAME);
  }
  const prefix = process.env.QUEUE_PREFIX;
  if (prefix?.startsWith('test_')) {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
      lazyConnect: true,
    });
    try {
      await redis.connect();
      await deleteKeys(redis, `${prefix}*`);
    } catch {
      // Redis cleanup is best effort: the prefix is unique to this run.
    } finally {
      redis.disconnect();
    }
  }
}
