import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { redisOptionsFromUrl } from '../../common/redis-options';
import { throttledErrorLog } from '../../common/throttled-log';
import { APP_CONFIG, type AppConfig } from '../../config/config.module';
import { localDateOf } from '../../intents/time-zone';
import { MetricsService } from '../../observability/metrics.service';
import { TenantSettingsService } from '../../tenants/settings/tenant-settings.service';
import type { AnswerContext } from '../answer.types';

/** A limit must never hold an answer up: a slow or absent Redis lets the message through. */
const COMMAND_TIMEOUT_MS = 300;
/** A day's counter outlives the day in every time zone. */
const DAY_KEY_TTL_SECONDS = 2 * 24 * 3600;

/**
 * The message's place in its chat's window, fixed the first time it is seen: a retried job
 * (same wamid) gets the same place, so it is neither counted twice nor answered differently.
 */
const RANK_SCRIPT = `
local r = redis.call('HGET', KEYS[1], ARGV[1])
if r then return tonumber(r) end
local n = redis.call('HLEN', KEYS[1]) + 1
redis.call('HSET', KEYS[1], ARGV[1], n)
redis.call('EXPIRE', KEYS[1], ARGV[2])
return n`;

export type ChatLimit =
  | { kind: 'allowed' }
  /** The first message over the limit in this window: it gets the one "espera" reply. */
  | { kind: 'limited_first' }
  /** Later ones: stored, not answered. */
  | { kind: 'limited' };

/**
 * Abuse limits, both kept in Redis:
 * - per chat: CHAT_RATE_LIMIT_MESSAGES answered per CHAT_RATE_LIMIT_WINDOW_SECONDS (fixed
 *   windows, by the time the message reached the webhook);
 * - per shop: tokens spent per shop-local day against the shop's dailyTokenCap (settings) or
 *   DAILY_TOKEN_CAP_DEFAULT; 0 = unlimited. Checked before anything is reserved; a message that
 *   starts under the cap may finish a little over it (one answer's worth).
 * Best effort: when Redis does not answer, messages are let through (it is a guard against
 * floods, not the ledger: the balance still bounds what a shop can spend).
 */
@Injectable()
export class AbuseLimitsService implements OnModuleDestroy {
  private readonly log = new Logger(AbuseLimitsService.name);
  private readonly logError = throttledErrorLog((m) => this.log.warn(m));
  private readonly redis: Redis;
  private readonly prefix: string;
  private connecting: Promise<void> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: TenantSettingsService,
    private readonly metrics: MetricsService,
  ) {
    this.prefix = `${config.QUEUE_PREFIX}:limits:`;
    this.redis = new Redis({
      ...redisOptionsFromUrl(config.REDIS_URL),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 1_000,
    });
    this.redis.on('error', (err) => this.logError('Limits connection error', err));
  }

  async chatLimit(ctx: AnswerContext): Promise<ChatLimit> {
    const windowMs = this.config.CHAT_RATE_LIMIT_WINDOW_SECONDS * 1000;
    const window = Math.floor(ctx.message.receivedAt.getTime() / windowMs);
    const key = `${this.prefix}chat:${ctx.tenant.id}:${ctx.sender.user.waId}:${window}`;
    let rank: number;
    try {
      await this.connected();
      rank = Number(
        await this.redis.eval(
          RANK_SCRIPT,
          1,
          key,
          ctx.message.wamid,
          String(this.config.CHAT_RATE_LIMIT_WINDOW_SECONDS * 2),
        ),
      );
    } catch (err) {
      this.logError('Chat rate limit check failed (let through)', err as Error);
      return { kind: 'allowed' };
    }
    const limit = this.config.CHAT_RATE_LIMIT_MESSAGES;
    if (rank <= limit) return { kind: 'allowed' };
    this.metrics.rateLimitedMessages.inc();
    if (rank === limit + 1) {
      this.metrics.rateLimitedChats.inc();
      return { kind: 'limited_first' };
    }
    return { kind: 'limited' };
  }

  /** True when the shop has spent its tokens for today (shop-local). */
  async overDailyCap(ctx: AnswerContext): Promise<boolean> {
    const cap = await this.dailyCap(ctx.tenant.id);
    if (cap === 0) return false;
    let used: number;
    try {
      await this.connected();
      used = Number((await this.redis.get(this.dayKey(ctx))) ?? 0);
    } catch (err) {
      this.logError('Daily token cap check failed (let through)', err as Error);
      return false;
    }
    if (used < cap) return false;
    this.metrics.dailyCapRefusals.inc();
    return true;
  }

  /** Adds what an answer spent (charged and absorbed) to the shop's day. */
  async addSpent(ctx: AnswerContext, tokens: number): Promise<void> {
    if (tokens <= 0) return;
    try {
      await this.connected();
      const key = this.dayKey(ctx);
      await this.redis.multi().incrby(key, tokens).expire(key, DAY_KEY_TTL_SECONDS).exec();
    } catch (err) {
      this.logError('Daily token count failed', err as Error);
    }
  }

  private async dailyCap(tenantId: string): Promise<number> {
    const { dailyTokenCap } = await this.settings.getRecent(tenantId);
    return dailyTokenCap ?? this.config.DAILY_TOKEN_CAP_DEFAULT;
  }

  private dayKey(ctx: AnswerContext): string {
    const d = localDateOf(ctx.now.getTime(), ctx.tenant.timezone);
    return `${this.prefix}tokens:${ctx.tenant.id}:${d.year}-${d.month}-${d.day}`;
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  private connected(): Promise<void> {
    if (this.redis.status !== 'wait' && this.redis.status !== 'end') return Promise.resolve();
    this.connecting ??= this.redis.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }
}
