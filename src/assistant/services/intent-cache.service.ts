import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { redisOptionsFromUrl } from '../../common/redis-options';
import { throttledErrorLog } from '../../common/throttled-log';
import { APP_CONFIG, type AppConfig } from '../../config/config.module';
import type { Intent } from '../../intents';

/** A label the LLM gave a message the rules and the learned model were unsure about. */
export interface CachedIntent {
  intent: Intent;
  confidence: number;
}

/** Same words, same label: a month is long enough to pay for one call per phrasing. */
const TTL_SECONDS = 30 * 24 * 3600;
/** The cache must never hold an answer up: a slow Redis is a miss. */
const COMMAND_TIMEOUT_MS = 300;
/** Bumped when the labels or the prompt change, so old answers are not reused. */
const VERSION = 'v1';

/**
 * LLM classifications cached in Redis per normalized text, so the same unsure phrasing is
 * paid for once (by the first shop that sends it; the label depends on the words only, never
 * on a shop's data). Best effort: an unreachable Redis means classifying again.
 */
@Injectable()
export class IntentCacheService implements OnModuleDestroy {
  private readonly log = new Logger(IntentCacheService.name);
  private readonly logError = throttledErrorLog((m) => this.log.warn(m));
  private readonly redis: Redis;
  private readonly prefix: string;
  private connecting: Promise<void> | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = `${config.QUEUE_PREFIX}:intent:${VERSION}:`;
    this.redis = new Redis({
      ...redisOptionsFromUrl(config.REDIS_URL),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 1_000,
    });
    this.redis.on('error', (err) => this.logError('Intent cache connection error', err));
  }

  async get(normalized: string): Promise<CachedIntent | null> {
    try {
      await this.connected();
      const raw = await this.redis.get(this.key(normalized));
      return raw ? (JSON.parse(raw) as CachedIntent) : null;
    } catch (err) {
      this.logError('Intent cache read failed', err as Error);
      return null;
    }
  }

  async set(normalized: string, value: CachedIntent): Promise<void> {
    try {
      await this.connected();
      await this.redis.set(this.key(normalized), JSON.stringify(value), 'EX', TTL_SECONDS);
    } catch (err) {
      this.logError('Intent cache write failed', err as Error);
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  private key(normalized: string): string {
    return this.prefix + createHash('sha256').update(normalized).digest('hex').slice(0, 32);
  }

  /** One connect for concurrent callers; a failed one is retried by the next call. */
  private connected(): Promise<void> {
    // Connected, or reconnecting on its own: a command then fails fast (a miss).
    if (this.redis.status !== 'wait' && this.redis.status !== 'end') return Promise.resolve();
    this.connecting ??= this.redis.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }
}
