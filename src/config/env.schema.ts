import { z } from 'zod';
import { INTENTS } from '../intents/intent.types';

const url = (protocols: string[]) =>
  z
    .string()
    .min(1)
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL (${protocols.join(' or ')})`,
    );

const positiveInt = (def: number) => z.coerce.number().int().positive().default(def);

/** A 32-byte key, base64-encoded (AES-256-GCM for per-tenant API keys). */
const encryptionKey = z
  .string()
  .min(1)
  .refine(
    (v) => Buffer.from(v, 'base64').length === 32,
    'must be 32 bytes encoded as base64 (openssl rand -base64 32)',
  );

/** Comma-separated list of model ids; empty entries are dropped. */
const modelList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string()).min(1, 'must name at least one model'));

/** Logical model profiles an operator can point at model chains without code changes. */
export const LLM_PROFILE_NAMES = ['balanced', 'low-latency', 'high-accuracy'] as const;
export type LlmProfileName = (typeof LLM_PROFILE_NAMES)[number];

const profileMap = z.partialRecord(
  z.enum(LLM_PROFILE_NAMES),
  z.array(z.string().trim().min(1)).min(1, 'must name at least one model'),
);

/**
 * LLM_PROFILES as JSON, e.g. {"low-latency":["openai/gpt-4o-mini","anthropic/claude-3-haiku"]}.
 * Validated inside one transform so a bad value is reported under the variable's own name.
 */
const modelProfiles = z.string().transform((raw, ctx) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: 'must be JSON like {"low-latency":["openai/gpt-4o-mini"]}',
    });
    return z.NEVER;
  }
  const result = profileMap.safeParse(parsed);
  if (!result.success) {
    const detail = result.error.issues
      .map((i) => `${i.path.join('.') || 'value'}: ${i.message}`)
      .join(', ');
    ctx.addIssue({
      code: 'custom',
      message: `must map ${LLM_PROFILE_NAMES.join('/')} to non-empty model lists (${detail})`,
    });
    return z.NEVER;
  }
  return result.data;
});

/** A JSON-valued variable, validated by `schema`, reported under the variable's own name. */
const jsonOf = <T extends z.ZodType>(schema: T, example: string) =>
  z.string().transform((raw, ctx): z.output<T> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be JSON like ${example}` });
      return z.NEVER;
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const detail = result.error.issues
        .map((i) => `${i.path.join('.') || 'value'}: ${i.message}`)
        .join(', ');
      ctx.addIssue({ code: 'custom', message: `${detail} (e.g. ${example})` });
      return z.NEVER;
    }
    return result.data;
  });

/**
 * Which profile answers each intent by default: reads answered from prefetched data want a
 * fast model, free advice the balanced one, writes the rules could not parse the careful one.
 */
export const DEFAULT_INTENT_PROFILES: Partial<Record<(typeof INTENTS)[number], LlmProfileName>> = {
  ventas: 'low-latency',
  inventario: 'low-latency',
  ganancias: 'low-latency',
  precios: 'low-latency',
  otro: 'balanced',
  registrar_venta: 'high-accuracy',
  ajustar_inventario: 'high-accuracy',
};

const intentProfileMap = z.partialRecord(z.enum(INTENTS), z.enum(LLM_PROFILE_NAMES));

/** LLM_INTENT_PROFILES: merged over DEFAULT_INTENT_PROFILES (name an intent to change it). */
const intentProfiles = jsonOf(
  intentProfileMap,
  '{"ventas":"low-latency","otro":"balanced"}',
).transform((map) => ({ ...DEFAULT_INTENT_PROFILES, ...map }));

/**
 * One A/B experiment of model profiles: shops (or chats) are split by a hash of their id and
 * the experiment's name, so the same shop stays in the same arm while the config is unchanged.
 */
export const experimentSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be a short slug (a-z, 0-9, - _)'),
    /** What is split: whole shops, or each chat (owner or employee) on its own. */
    unit: z.enum(['shop', 'chat']).default('shop'),
    /** Arm "a" (control) and arm "b" (treatment). */
    a: z.enum(LLM_PROFILE_NAMES),
    b: z.enum(LLM_PROFILE_NAMES),
    /** Share of units (0–100) in arm b. */
    percentB: z.number().min(0).max(100),
    /** Intents the experiment routes; absent = every intent the LLM answers. */
    intents: z.array(z.enum(INTENTS)).min(1).optional(),
    /** false stops it without removing it (answers go back to the intent map). */
    enabled: z.boolean().default(true),
  })
  .refine((e) => e.a !== e.b, { message: 'arms a and b must be different profiles' });
export type Experiment = z.output<typeof experimentSchema>;

const experiments = jsonOf(
  z
    .array(experimentSchema)
    .refine((list) => new Set(list.map((e) => e.name)).size === list.length, {
      message: 'experiment names must be unique',
    }),
  '[{"name":"mini-vs-haiku","a":"balanced","b":"low-latency","percentB":50}]',
);

/**
 * WHATSAPP_MEDIA_HOSTS: where the bearer token may be sent to fetch media bytes, as origins.
 * A bare host name means https on the default port (`lookaside.fbsbx.com`); a full origin
 * (`http://127.0.0.1:18090`) is the explicit opt-in a local fake needs: plain http is only
 * ever allowed for an origin written out with `http://`.
 */
const mediaOrigins = z.string().transform((raw, ctx) => {
  const origins: string[] = [];
  for (const entry of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const origin = mediaOrigin(entry);
    if (!origin) {
      ctx.addIssue({
        code: 'custom',
        message: `"${entry}" must be a host name (lookaside.fbsbx.com) or an origin (http://127.0.0.1:18090)`,
      });
      return z.NEVER;
    }
    origins.push(origin);
  }
  if (origins.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'must name at least one host' });
    return z.NEVER;
  }
  return [...new Set(origins)];
});

function mediaOrigin(entry: string): string | undefined {
  const text = entry.includes('://') ? entry : `https://${entry}`;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return undefined;
  }
  const bare =
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.pathname === '/' &&
    parsed.search === '' &&
    parsed.hash === '';
  if (!bare || !['http:', 'https:'].includes(parsed.protocol)) return undefined;
  return parsed.origin;
}

/** An optional URL: unset or empty means "not configured". */
const optionalUrl = (protocols: string[]) =>
  z.preprocess((v) => (v === '' ? undefined : v), url(protocols).optional());

/** An optional secret: unset or empty means none. */
const optionalSecret = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

/** Words that mark a value copied from an example rather than generated. */
const PLACEHOLDER_WORDS = [
  'change-me',
  'changeme',
  'change_me',
  'replace-me',
  'replaceme',
  'placeholder',
  'example',
  'dummy',
  'sample',
  'your-',
  'your_',
  'xxxx',
  'secret',
  'password',
  'test',
];

/** Estimated bits of entropy: Shannon entropy of the characters times the length. */
function estimatedBits(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const n = [...value].length;
  let perChar = 0;
  for (const c of counts.values()) perChar -= (c / n) * Math.log2(c / n);
  return perChar * n;
}

/** At least this many estimated bits for a production secret (openssl rand -hex 24 has ~190). */
const MIN_SECRET_BITS = 64;

/** Why a text secret must not be used in production, or undefined when it looks generated. */
export function weakSecretReason(value: string): string | undefined {
  const lower = value.toLowerCase();
  const word = PLACEHOLDER_WORDS.find((w) => lower.includes(w));
  if (word) return `is a placeholder ("${word}") (generate one: openssl rand -hex 32)`;
  if (new Set(value).size < 10 || estimatedBits(value) < MIN_SECRET_BITS)
    return 'has too little entropy for production (generate one: openssl rand -hex 32)';
  return undefined;
}

/** Why a base64 key must not be used in production (repeated or sequential bytes). */
export function weakKeyReason(value: string): string | undefined {
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length === 0) return undefined; // reported by the key's own check
  const steps = new Set<number>();
  for (let i = 1; i < bytes.length; i++) steps.add((bytes[i]! - bytes[i - 1]! + 256) % 256);
  if (new Set(bytes).size < 16 || steps.size <= 1)
    return 'is an example or low-entropy key (generate one: openssl rand -base64 32)';
  return undefined;
}

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * Set: the admin API, /console, /docs, /docs-json and /metrics are served only on this
   * internal port, the public PORT serves only the webhook and /health. Unset: one port.
   */
  ADMIN_PORT: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(0).max(65535).optional(),
  ),
  APP_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATABASE_URL: url(['postgres:', 'postgresql:']),
  /**
   * The schema owner, used only by the migration CLI (`node dist/database/cli.js run`); the app
   * connects as DATABASE_URL's role, which the CLI grants only what it needs. Unset: migrations
   * run as DATABASE_URL (development, one role).
   */
  DATABASE_MIGRATION_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    url(['postgres:', 'postgresql:']).optional(),
  ),
  REDIS_URL: url(['redis:', 'rediss:']),
  /** BullMQ key prefix, so several deployments (or test runs) can share one Redis. */
  QUEUE_PREFIX: z.string().min(1).default('changarrito'),
  /** Connections per process; webhook bursts wait on commits, not CPU (bench:webhook). */
  DATABASE_POOL_SIZE: positiveInt(20),

  WHATSAPP_VERIFY_TOKEN: z.string().min(1),
  WHATSAPP_APP_SECRET: z.string().min(1),
  WHATSAPP_ACCESS_TOKEN: z.string().min(1),
  WHATSAPP_API_BASE_URL: url(['http:', 'https:']).default('https://graph.facebook.com'),
  WHATSAPP_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v21.0')
    .default('v21.0'),
  WHATSAPP_TIMEOUT_MS: positiveInt(10_000),
  /** Inbound messages older than this are stored but not answered (Meta retries for days). */
  INBOUND_MAX_AGE_HOURS: positiveInt(24),
  /** Origins the media bearer token may go to (Meta's media CDN); see mediaOrigins. */
  WHATSAPP_MEDIA_HOSTS: mediaOrigins.default(['https://lookaside.fbsbx.com']),
  /** Whole media download (connect, headers and body), per attempt. */
  WHATSAPP_MEDIA_TIMEOUT_MS: positiveInt(20_000),
  /** How often the relay re-enqueues messages stuck in 'received' (e.g. Redis was down). */
  RELAY_INTERVAL_MS: positiveInt(5_000),
  /**
   * A message 'queued' or 'processing' this long with no live BullMQ job is re-queued by the
   * reconciler (its job was lost with Redis, or died while PostgreSQL was down). Keep it above
   * LLM_DEADLINE_MS + WORKER_LOCK_MS.
   */
  INBOX_STUCK_AFTER_SECONDS: positiveInt(300),
  /**
   * Attempts (claims) a message gets in all before the reconciler fails it for good: the
   * budget of infrastructure errors (PostgreSQL/Redis down). Application errors fail after
   * the job's own 5 attempts.
   */
  INBOX_MAX_ATTEMPTS: positiveInt(20),
  /** Longer inbound texts are cut to this many characters before the LLM (the reply says so). */
  INBOUND_TEXT_MAX_CHARS: positiveInt(1_000),

  OPENROUTER_API_KEY: z.string().min(1),
  OPENROUTER_BASE_URL: url(['http:', 'https:']).default('https://openrouter.ai/api/v1'),
  LLM_MODEL_DEFAULT: z.string().min(1).default('anthropic/claude-3-haiku'),
  LLM_MODEL_FALLBACK: modelList.default(['openai/gpt-3.5-turbo']),
  LLM_MAX_TOKENS: positiveInt(1000),
  LLM_TIMEOUT_MS: positiveInt(20_000),
  LLM_DEADLINE_MS: positiveInt(30_000),
  /** Model chains per profile (JSON); profiles left out fall back to the default chain. */
  LLM_PROFILES: modelProfiles.default({}),
  /**
   * Models a shop may be configured with (comma-separated). Unset: the default, the fallbacks
   * and the profiles' models, i.e. what the operator already chose to pay for.
   */
  LLM_ALLOWED_MODELS: z.preprocess((v) => (v === '' ? undefined : v), modelList.optional()),
  /**
   * Run the read a question obviously needs before the model and give it the data (one
   * round, no tool schemas). false: the model picks every tool (evaluation, comparisons).
   */
  LLM_PREFETCH: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /**
   * How long an LLM answer is reused for the same question over the same data (the data is
   * in the key, so a new sale is a miss); 0 turns the response cache off for every shop.
   */
  RESPONSE_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).default(600),
  /** A reply left 'unknown' by a crash mid-send is re-sent once after this, unless a status came. */
  UNKNOWN_REPLY_RESEND_AFTER_SECONDS: positiveInt(120),
  UNKNOWN_REPLY_CHECK_INTERVAL_MS: positiveInt(30_000),
  /** Messages one chat may have answered per window; the rest are stored, not answered. */
  CHAT_RATE_LIMIT_MESSAGES: positiveInt(10),
  CHAT_RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
  /** Tokens a shop may spend per local day unless its settings say otherwise (0 = unlimited). */
  DAILY_TOKEN_CAP_DEFAULT: z.coerce.number().int().min(0).default(0),
  /**
   * Intent → profile (JSON), merged over DEFAULT_INTENT_PROFILES; a shop's own map
   * (tenant_settings.intent_profiles, admin API) wins over it.
   */
  LLM_INTENT_PROFILES: intentProfiles.default(DEFAULT_INTENT_PROFILES),
  /** A/B experiments of profiles (JSON array); [] or enabled:false stops them. */
  LLM_EXPERIMENTS: experiments.default([]),
  /** Tries on one model before moving to the next in the chain (1 = no retry). */
  LLM_ATTEMPTS_PER_MODEL: positiveInt(2),
  /** Exponential backoff with full jitter between tries: base doubles per try, capped at max. */
  LLM_BACKOFF_BASE_MS: positiveInt(500),
  LLM_BACKOFF_MAX_MS: positiveInt(8_000),
  /** Sent as HTTP-Referer and X-Title so OpenRouter attributes the traffic to this app. */
  OPENROUTER_APP_URL: url(['http:', 'https:']).default('https://changarrito.app'),
  OPENROUTER_APP_TITLE: z.string().min(1).default('Changarrito Assistant'),

  /** Voice notes longer than this are refused before transcription (nothing is charged). */
  AUDIO_MAX_SECONDS: positiveInt(120),
  /** Largest voice note downloaded or decoded: 16 MB is Meta's cap for audio. */
  AUDIO_MAX_BYTES: positiveInt(16 * 1024 * 1024),
  /**
   * Audio-capable chat model on OpenRouter (input_audio parts), or the model id of the
   * server at TRANSCRIPTION_BASE_URL (e.g. whisper-1).
   */
  TRANSCRIPTION_MODEL: z.string().min(1).default('google/gemini-2.5-flash'),
  /** Set to use any OpenAI-compatible POST {base}/audio/transcriptions (e.g. self-hosted whisper). */
  TRANSCRIPTION_BASE_URL: optionalUrl(['http:', 'https:']),
  /** Bearer key of TRANSCRIPTION_BASE_URL, if it wants one. */
  TRANSCRIPTION_API_KEY: optionalSecret,
  TRANSCRIPTION_TIMEOUT_MS: positiveInt(30_000),
  /** Tries per voice note on retryable errors (1 = no retry); backoff as LLM_BACKOFF_*. */
  TRANSCRIPTION_ATTEMPTS: positiveInt(2),

  ADMIN_API_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  ENCRYPTION_KEY: encryptionKey,
  /** The key being rotated out: still decrypts old rows until `npm run keys:rotate` has run. */
  ENCRYPTION_KEY_PREVIOUS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    encryptionKey.optional(),
  ),

  /** Messages one worker process answers at once; most of each answer is waiting on the LLM. */
  WORKER_CONCURRENCY: positiveInt(8),
  /** How long a worker holds a job before others consider it stalled (its process died). */
  WORKER_LOCK_MS: positiveInt(30_000),
  /** How often workers look for stalled jobs to take over. */
  WORKER_STALLED_INTERVAL_MS: positiveInt(30_000),

  /**
   * On SIGTERM, /health/ready answers 503 at once and the process keeps serving this long
   * before closing connections, so the load balancer stops routing to it first (k8s: a few s).
   */
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /** How often each process samples the inbound queue's job counts for /metrics (queue_jobs). */
  QUEUE_METRICS_INTERVAL_MS: positiveInt(5_000),
  /**
   * Longest each shutdown step (closing the worker, the queue, a relay pass) may take; one
   * that hangs (Redis down) is abandoned so SIGTERM always ends the process.
   */
  SHUTDOWN_STEP_TIMEOUT_MS: positiveInt(10_000),

  /** Message bodies and raw payloads older than this are blanked by the retention pass. */
  INBOUND_RETENTION_DAYS: positiveInt(90),
  /** How often the retention pass runs (one BullMQ job scheduler shared by every worker). */
  RETENTION_INTERVAL_MS: positiveInt(3_600_000),
  /**
   * The pre-approved WhatsApp template the daily close goes out as outside Meta's 24-hour
   * window (body parameters {{1}}..{{7}}: day, sales, tickets, profit, top products, reorder
   * and tokens left), and its language code.
   */
  DAILY_CLOSE_TEMPLATE_NAME: z.string().min(1).default('cierre_del_dia'),
  DAILY_CLOSE_TEMPLATE_LANGUAGE: z
    .string()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a language code like es_MX')
    .default('es_MX'),
  /** How often workers look for shops whose daily close is due. */
  DAILY_CLOSE_SCAN_INTERVAL_MS: positiveInt(60_000),

  /** A token reservation whose job died is given back after this long (LLM deadline + margin). */
  BILLING_RESERVATION_TTL_SECONDS: positiveInt(120),
  /** How often expired token reservations are released. */
  BILLING_SWEEP_INTERVAL_MS: positiveInt(30_000),

  /**
   * `npm run demo` only: serves the WhatsApp simulator (/simulator, /demo/*) wired to the demo's
   * local fakes. Refused with NODE_ENV=production; off everywhere else.
   */
  DEMO_MODE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

/**
 * The schema parseEnv applies: envSchema plus the production-only secret checks (kept apart
 * so envSchema stays a plain object scripts can .pick() from).
 */
const productionSafeSchema = envSchema.superRefine((env, ctx) => {
  if (env.ADMIN_PORT !== undefined && env.ADMIN_PORT !== 0 && env.ADMIN_PORT === env.PORT) {
    ctx.addIssue({ code: 'custom', path: ['ADMIN_PORT'], message: 'must differ from PORT' });
  }
  // Example, placeholder and low-entropy secrets are fine on a laptop, never in production.
  if (env.NODE_ENV !== 'production') return;
  const checks: [keyof typeof env, string | undefined][] = [
    ['ADMIN_API_TOKEN', weakSecretReason(env.ADMIN_API_TOKEN)],
    ['WHATSAPP_APP_SECRET', weakSecretReason(env.WHATSAPP_APP_SECRET)],
    ['ENCRYPTION_KEY', weakKeyReason(env.ENCRYPTION_KEY)],
  ];
  for (const [name, reason] of checks) {
    if (reason) ctx.addIssue({ code: 'custom', path: [name], message: reason });
  }
});

export type Env = z.infer<typeof envSchema>;

/**
 * Parses the environment; on failure throws one line per bad variable, naming it, so a
 * misconfigured deployment stops at boot with a message an operator can act on.
 */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = productionSafeSchema.safeParse(source);
  if (result.success) {
    if (result.data.DEMO_MODE && result.data.NODE_ENV === 'production') {
      throw new ConfigError(
        'Invalid configuration: DEMO_MODE must not be true with NODE_ENV=production (it serves a simulator that signs webhooks)',
      );
    }
    return result.data;
  }
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(env)';
    const value = source[name];
    const reason = value === undefined || value === '' ? 'is required' : issue.message;
    return `${name} ${reason}`;
  });
  throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
