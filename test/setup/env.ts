/**
 * Defaults for every test process. The database URL and queue prefix come from globalSetup;
 * secrets here are test-only values, and outside services point at local fakes per test.
 */
const defaults: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  REDIS_URL: 'redis://127.0.0.1:6379',
  WHATSAPP_VERIFY_TOKEN: 'test-verify-token',
  WHATSAPP_APP_SECRET: 'test-app-secret',
  WHATSAPP_ACCESS_TOKEN: 'test-access-token',
  WHATSAPP_API_BASE_URL: 'http://127.0.0.1:9',
  OPENROUTER_API_KEY: 'sk-or-test-platform-key',
  OPENROUTER_BASE_URL: 'http://127.0.0.1:9/api/v1',
  ADMIN_API_TOKEN: 'test-admin-token-0123456789',
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  // Off by default: most suites count one LLM call per question they ask (often the same one
  // again). test/e2e/response-cache.e2e.spec.ts and the bench turn it on explicitly.
  RESPONSE_CACHE_TTL_SECONDS: '0',
  // Generous: suites send bursts from one number (200 messages, 20 concurrent sales).
  // test/e2e/abuse-limits.e2e.spec.ts sets the production-like limit.
  CHAT_RATE_LIMIT_MESSAGES: '100000',
  // Every app a test boots runs the retention pass at once, over the run's shared database:
  // with the default 90 days it would delete the dated histories other suites seed (reports
  // over 2026-03-10). The retention suite sets its own cutoffs.
  INBOUND_RETENTION_DAYS: '3650',
};
for (const [k, v] of Object.entries(defaults)) {
  if (process.env[k] === undefined) process.env[k] = v;
}
