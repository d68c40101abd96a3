import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { redisOptionsFromUrl } from '../../common/redis-options';
import { throttledErrorLog } from '../../common/throttled-log';
import { APP_CONFIG, type AppConfig } from '../../config/config.module';
import { MetricsService } from '../../observability/metrics.service';
import { TenantSettingsService } from '../../tenants/settings/tenant-settings.service';
import {
  RESPONSE_CACHE_VERSION,
  responseCacheKey,
  type ResponseCacheKeyInput,
} from './response-cache-key';

/** An answer as it was given, and what it cost to compute. */
export interface CachedAnswer {
  text: string;
  level: '1' | '1b';
  model: string;
  /** Tokens the answer's rounds used when it was computed (what a hit saves). */
  tokens: number;
}

/** The cache must never hold an answer up: a slow Redis is a miss. */
const COMMAND_TIMEOUT_MS = 300;

/**
 * Answers kept in Redis for RESPONSE_CACHE_TTL_SECONDS under responseCacheKey: the same
 * question over the same data (and the same models and tools) is answered again for 0 tokens.
 * Off when the TTL is 0 or for a shop that opted out (tenant_settings). Best effort: an
 * unreachable Redis is a miss and the model is called as usual.
 */
@Injectable()
export class ResponseCacheService implements OnModuleDestroy {
  private readonly log = new Logger(ResponseCacheService.name);
  private readonly logError = throttledErrorLog((m) => this.log.warn(m));
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly ttlSeconds: number;
  private connecting: Promise<void> | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly settings: TenantSettingsService,
    private readonly metrics: MetricsService,
  ) {
    this.ttlSeconds = config.RESPONSE_CACHE_TTL_SECONDS;
    this.prefix = `${config.QUEUE_PREFIX}:answer:${RESPONSE_CACHE_VERSION}:`;
    this.redis = new Redis({
      ...redisOptionsFromUrl(config.REDIS_URL),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 1_000,
    });
    this.redis.on('error', (err) => this.logError('Response cache connection error', err));
  }

  /** The key for this request, or null when the cache is off (globally or for the shop). */
  async keyFor(input: ResponseCacheKeyInput): Promise<string | null> {
    if (this.ttlSeconds === 0) return null;
    const settings = await this.settings.getRecent(input.tenantId);
    if (!settings.responseCacheEnabled) return null;
    return responseCacheKey(input);
  }

  async get(key: string): Promise<CachedAnswer | null> {
    let found: CachedAnswer | null = null;
    try {
      await this.connected();
      const raw = await this.redis.get(this.prefix + key);
      found = raw ? (JSON.parse(raw) as CachedAnswer) : null;
    } catch (err) {
      this.logError('Response cache read failed', err as Error);
    }
    this.metrics.responseCache.inc({ result: found ? 'hit' : 'miss' });
    if (found) this.metrics.responseCacheTokensSaved.inc(found.tokens);
    return found;
  }

  async set(key: string, answer: CachedAnswer): Promise<void> {
    try {
      await this.connected();
      await this.redis.set(this.prefix + key, JSON.stringify(answer), 'EX', this.ttlSeconds);
    } catch (err) {
      this.logError('Response cache write failed', err as Error);
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  /** One connect for concurrent callers; a failed one is retried by the next call. */
  private connected(): Promise<void> {
    if (this.redis.status !== 'wait' && this.redis.status !== 'end') return Promise.resolve();
    this.connecting ??= this.redis.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }
}
