import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from './env.schema';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x',
  REDIS_URL: 'redis://127.0.0.1:6379',
  WHATSAPP_VERIFY_TOKEN: 'v',
  WHATSAPP_APP_SECRET: 's',
  WHATSAPP_ACCESS_TOKEN: 't',
  OPENROUTER_API_KEY: 'k',
  ADMIN_API_TOKEN: 'admin-token-0123456789',
  ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
};

describe('parseEnv', () => {
  it('applies the documented defaults', () => {
    const env = parseEnv(valid);
    expect(env.PORT).toBe(3000);
    expect(env.APP_ROLE).toBe('all');
    expect(env.WHATSAPP_API_BASE_URL).toBe('https://graph.facebook.com');
    expect(env.WHATSAPP_API_VERSION).toBe('v21.0');
    expect(env.OPENROUTER_BASE_URL).toBe('https://openrouter.ai/api/v1');
    expect(env.LLM_MODEL_DEFAULT).toBe('anthropic/claude-3-haiku');
    expect(env.LLM_MODEL_FALLBACK).toEqual(['openai/gpt-3.5-turbo']);
    expect(env.LLM_MAX_TOKENS).toBe(1000);
  });

  it('accepts a comma-separated fallback list', () => {
    const env = parseEnv({ ...valid, LLM_MODEL_FALLBACK: 'a/b, c/d ,' });
    expect(env.LLM_MODEL_FALLBACK).toEqual(['a/b', 'c/d']);
  });

  it('names every missing or malformed variable in one line', () => {
    const { DATABASE_URL: _omit, ...rest } = valid;
    let message = '';
    try {
      parseEnv({ ...rest, PORT: 'abc', ENCRYPTION_KEY: 'short' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toContain('\n');
    expect(message).toContain('DATABASE_URL is required');
    expect(message).toContain('PORT ');
    expect(message).toContain('ENCRYPTION_KEY must be 32 bytes');
  });

  it('rejects an unknown APP_ROLE', () => {
    expect(() => parseEnv({ ...valid, APP_ROLE: 'both' })).toThrow(/APP_ROLE/);
  });

  it('keeps the demo simulator off unless asked, and never in production', () => {
    expect(parseEnv(valid).DEMO_MODE).toBe(false);
    expect(parseEnv({ ...valid, DEMO_MODE: 'true' }).DEMO_MODE).toBe(true);
    // Production-grade secrets, so the refusal is about DEMO_MODE alone.
    const secrets = {
      ADMIN_API_TOKEN: randomBytes(24).toString('hex'),
      WHATSAPP_APP_SECRET: randomBytes(16).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
    const production = { ...valid, ...secrets, NODE_ENV: 'production' };
    expect(parseEnv(production).DEMO_MODE).toBe(false);
    expect(() => parseEnv({ ...production, DEMO_MODE: 'true' })).toThrow(
      /DEMO_MODE must not be true with NODE_ENV=production/,
    );
  });
});

describe('parseEnv in production', () => {
  const strong = {
    ...valid,
    NODE_ENV: 'production',
    ADMIN_API_TOKEN: randomBytes(24).toString('hex'),
    WHATSAPP_APP_SECRET: randomBytes(16).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };

  function failure(source: Record<string, string>): string {
    try {
      parseEnv(source);
    } catch (err) {
      return (err as Error).message;
    }
    return '';
  }

  it('starts with generated secrets', () => {
    expect(parseEnv(strong).NODE_ENV).toBe('production');
  });

  it("refuses .env.example's secrets, one clear line per variable", () => {
    const example = Object.fromEntries(
      readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => {
          const i = l.indexOf('=');
          return [l.slice(0, i), l.slice(i + 1).replace(/^'(.*)'$/, '$1')];
        }),
    );
    expect(example.NODE_ENV).toBe('production');
    const message = failure(example);
    expect(message).not.toContain('\n');
    const parts = message.replace(/^Invalid configuration: /, '').split('; ');
    expect(parts.map((p) => p.split(' ')[0]).sort()).toEqual([
      'ADMIN_API_TOKEN',
      'ENCRYPTION_KEY',
      'WHATSAPP_APP_SECRET',
    ]);
    expect(message).toMatch(/ADMIN_API_TOKEN is a placeholder/);
    expect(message).toMatch(/ENCRYPTION_KEY is an example or low-entropy key/);
  });

  it.each([
    ['ADMIN_API_TOKEN', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', /too little entropy/],
    ['ADMIN_API_TOKEN', 'abcabcabcabcabcabcabcabc', /too little entropy/],
    ['ADMIN_API_TOKEN', 'test-admin-token-0123456789', /placeholder/],
    ['WHATSAPP_APP_SECRET', 'change-me-app-secret', /placeholder/],
    ['WHATSAPP_APP_SECRET', 's', /too little entropy/],
    ['ENCRYPTION_KEY', Buffer.alloc(32, 7).toString('base64'), /low-entropy key/],
    ['ENCRYPTION_KEY', Buffer.from([...Array(32).keys()]).toString('base64'), /low-entropy/],
  ])('refuses %s=%s', (name, value, reason) => {
    const message = failure({ ...strong, [name]: value });
    expect(message).toMatch(new RegExp(`^Invalid configuration: ${name} `));
    expect(message).toMatch(reason);
    expect(message.split('; ')).toHaveLength(1);
  });

  it('accepts the same weak values outside production (tests, laptops)', () => {
    expect(() =>
      parseEnv({ ...valid, NODE_ENV: 'development', ADMIN_API_TOKEN: 'change-me-admin-token' }),
    ).not.toThrow();
  });
});
