import { randomUUID } from 'node:crypto';
import { parseEnv } from '../config/env.schema';
import { armOf, chooseProfile, type RoutingInput } from './profile-routing';

const baseEnv = {
  DATABASE_URL: 'postgres://x@127.0.0.1/db',
  REDIS_URL: 'redis://127.0.0.1:6379',
  WHATSAPP_VERIFY_TOKEN: 'v',
  WHATSAPP_APP_SECRET: 's',
  WHATSAPP_ACCESS_TOKEN: 'a',
  OPENROUTER_API_KEY: 'k',
  ADMIN_API_TOKEN: 'admin-token-0123456789',
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

const input = (over: Partial<RoutingInput> = {}): RoutingInput => ({
  intent: 'ventas',
  tenantId: 'shop-1',
  chatId: '5215512345678',
  shopIntentProfiles: {},
  ...over,
});

describe('routing by intent', () => {
  const config = parseEnv(baseEnv);

  it('defaults: reads low-latency, otro balanced, writes high-accuracy', () => {
    expect(chooseProfile(input({ intent: 'ventas' }), config).profile).toBe('low-latency');
    expect(chooseProfile(input({ intent: 'inventario' }), config).profile).toBe('low-latency');
    expect(chooseProfile(input({ intent: 'otro' }), config).profile).toBe('balanced');
    expect(chooseProfile(input({ intent: 'registrar_venta' }), config).profile).toBe(
      'high-accuracy',
    );
    expect(chooseProfile(input({ intent: 'ajustar_inventario' }), config).profile).toBe(
      'high-accuracy',
    );
  });

  it('LLM_INTENT_PROFILES changes one intent and keeps the other defaults', () => {
    const c = parseEnv({ ...baseEnv, LLM_INTENT_PROFILES: '{"otro":"high-accuracy"}' });
    expect(chooseProfile(input({ intent: 'otro' }), c)).toEqual({
      profile: 'high-accuracy',
      source: 'intent_map',
    });
    expect(chooseProfile(input({ intent: 'ventas' }), c).profile).toBe('low-latency');
  });

  it('a shop map wins over the platform map; a shop profile over the map', () => {
    expect(
      chooseProfile(input({ shopIntentProfiles: { ventas: 'high-accuracy' } }), config),
    ).toEqual({ profile: 'high-accuracy', source: 'shop_intent' });
    expect(chooseProfile(input({ shopProfile: 'balanced' }), config)).toEqual({
      profile: 'balanced',
      source: 'shop_profile',
    });
  });

  it('refuses a bad map or experiment at boot, naming the variable', () => {
    expect(() => parseEnv({ ...baseEnv, LLM_INTENT_PROFILES: '{"ventas":"fast"}' })).toThrow(
      /LLM_INTENT_PROFILES .*ventas/,
    );
    expect(() => parseEnv({ ...baseEnv, LLM_INTENT_PROFILES: 'nope' })).toThrow(
      /LLM_INTENT_PROFILES must be JSON/,
    );
    expect(() =>
      parseEnv({
        ...baseEnv,
        LLM_EXPERIMENTS: '[{"name":"x","a":"balanced","b":"balanced","percentB":50}]',
      }),
    ).toThrow(/LLM_EXPERIMENTS .*different profiles/);
    expect(() =>
      parseEnv({
        ...baseEnv,
        LLM_EXPERIMENTS: '[{"name":"x","a":"balanced","b":"low-latency","percentB":150}]',
      }),
    ).toThrow(/LLM_EXPERIMENTS .*percentB/);
  });
});

describe('A/B assignment', () => {
  const experiment = { name: 'mini-vs-haiku', percentB: 30 };

  it('is stable: the same id always lands in the same arm', () => {
    const ids = Array.from({ length: 200 }, () => randomUUID());
    const first = ids.map((id) => armOf(experiment, id));
    expect(ids.map((id) => armOf(experiment, id))).toEqual(first);
  });

  it('puts close to percentB of many ids in arm b (10,000 ids, ±2 points)', () => {
    for (const percentB of [10, 30, 50, 90]) {
      const n = 10_000;
      let b = 0;
      for (let i = 0; i < n; i++) if (armOf({ name: 'exp', percentB }, `shop-${i}`) === 'b') b++;
      expect(Math.abs((100 * b) / n - percentB)).toBeLessThan(2);
    }
  });

  it('0% and 100% put everyone in a and b; the name reshuffles the split', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `id-${i}`);
    expect(ids.every((id) => armOf({ name: 'e', percentB: 0 }, id) === 'a')).toBe(true);
    expect(ids.every((id) => armOf({ name: 'e', percentB: 100 }, id) === 'b')).toBe(true);
    const one = ids.map((id) => armOf({ name: 'one', percentB: 50 }, id));
    const two = ids.map((id) => armOf({ name: 'two', percentB: 50 }, id));
    const same = one.filter((arm, i) => arm === two[i]).length;
    // Independent splits agree about half the time, not always.
    expect(same).toBeGreaterThan(200);
    expect(same).toBeLessThan(300);
  });

  it('routes by arm; per shop or per chat; off when disabled or outside its intents', () => {
    const env = (exp: object) => parseEnv({ ...baseEnv, LLM_EXPERIMENTS: JSON.stringify([exp]) });
    const exp = { name: 'exp', a: 'balanced', b: 'high-accuracy', percentB: 50 };
    const c = env(exp);
    const ids = Array.from({ length: 40 }, (_, i) => `shop-${i}`);
    for (const tenantId of ids) {
      const arm = armOf({ name: 'exp', percentB: 50 }, tenantId);
      expect(chooseProfile(input({ tenantId }), c)).toEqual({
        profile: arm === 'a' ? 'balanced' : 'high-accuracy',
        source: 'experiment',
        experiment: { name: 'exp', arm },
      });
    }
    const perChat = env({ ...exp, unit: 'chat' });
    for (const chatId of ids) {
      expect(chooseProfile(input({ chatId }), perChat).experiment?.arm).toBe(
        armOf({ name: 'exp', percentB: 50 }, chatId),
      );
    }
    expect(chooseProfile(input(), env({ ...exp, enabled: false })).source).toBe('intent_map');
    expect(chooseProfile(input(), env({ ...exp, intents: ['otro'] })).source).toBe('intent_map');
    // A shop's explicit choice is never split.
    expect(chooseProfile(input({ shopIntentProfiles: { ventas: 'low-latency' } }), c).source).toBe(
      'shop_intent',
    );
  });
});
