import Redis from 'ioredis';
import { redisOptionsFromUrl } from './redis-options';
import { withTimeout } from './retry';

/** Whether Redis answers a PING within half a second (a throwaway connection). */
export async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis({
    ...redisOptionsFromUrl(url),
    lazyConnect: true,
    connectTimeout: 500,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => undefined);
  try {
    await withTimeout(
      redis.connect().then(() => redis.ping()),
      700,
      () => new Error('Redis did not answer'),
    );
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
