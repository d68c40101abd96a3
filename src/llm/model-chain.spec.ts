import { parseEnv } from '../config/env.schema';
import {
  allowedModels,
  allowedSelection,
  defaultChain,
  profileChain,
  resolveModelChain,
  type ModelChainConfig,
} from './model-chain';

const config: ModelChainConfig = {
  LLM_MODEL_DEFAULT: 'anthropic/claude-3-haiku',
  LLM_MODEL_FALLBACK: ['openai/gpt-3.5-turbo'],
  LLM_PROFILES: {
    'low-latency': ['openai/gpt-4o-mini', 'anthropic/claude-3-haiku'],
    'high-accuracy': ['anthropic/claude-3.5-sonnet'],
  },
};

describe('model chains', () => {
  it('balanced defaults to LLM_MODEL_DEFAULT then LLM_MODEL_FALLBACK', () => {
    expect(defaultChain(config)).toEqual(['anthropic/claude-3-haiku', 'openai/gpt-3.5-turbo']);
    expect(profileChain('balanced', config)).toEqual(defaultChain(config));
  });

  it('a configured profile comes first, the env chain stays as last resort', () => {
    expect(resolveModelChain({ profile: 'low-latency' }, config)).toEqual([
      'openai/gpt-4o-mini',
      'anthropic/claude-3-haiku',
      'openai/gpt-3.5-turbo',
    ]);
    expect(resolveModelChain({ profile: 'high-accuracy' }, config)).toEqual([
      'anthropic/claude-3.5-sonnet',
      'anthropic/claude-3-haiku',
      'openai/gpt-3.5-turbo',
    ]);
  });

  it("the tenant's own default and fallbacks win, de-duplicated in order", () => {
    expect(
      resolveModelChain(
        {
          modelDefault: 'openai/gpt-3.5-turbo',
          modelFallback: ['google/gemini-flash-1.5', 'openai/gpt-3.5-turbo'],
          profile: 'low-latency',
        },
        config,
      ),
    ).toEqual([
      'openai/gpt-3.5-turbo',
      'google/gemini-flash-1.5',
      'openai/gpt-4o-mini',
      'anthropic/claude-3-haiku',
    ]);
  });

  it('treats nulls from the database and unknown profiles as "not set"', () => {
    expect(
      resolveModelChain({ modelDefault: null, modelFallback: null, profile: 'turbo' }, config),
    ).toEqual(['anthropic/claude-3-haiku', 'openai/gpt-3.5-turbo']);
  });

  it('reads LLM_PROFILES from the environment', () => {
    const env = parseEnv({
      ...process.env,
      LLM_PROFILES: '{"low-latency":["openai/gpt-4o-mini"]}',
    });
    expect(resolveModelChain({ profile: 'low-latency' }, env)[0]).toBe('openai/gpt-4o-mini');
    expect(() => parseEnv({ ...process.env, LLM_PROFILES: '{"fast":["x"]}' })).toThrow(
      /LLM_PROFILES must map/,
    );
  });

  describe('allowlist', () => {
    it('defaults to the models the operator configured: default, fallbacks, profiles', () => {
      expect([...allowedModels(config)].sort()).toEqual(
        [
          'anthropic/claude-3-haiku',
          'openai/gpt-3.5-turbo',
          'openai/gpt-4o-mini',
          ...Object.values(config.LLM_PROFILES).flat(),
        ]
          .filter((m, i, all) => all.indexOf(m) === i)
          .sort(),
      );
    });

    it('is LLM_ALLOWED_MODELS when set (an empty value means unset)', () => {
      const env = parseEnv({ ...process.env, LLM_ALLOWED_MODELS: ' x/one , y/two ,' });
      expect([...allowedModels(env)]).toEqual(['x/one', 'y/two']);
      const empty = parseEnv({ ...process.env, LLM_ALLOWED_MODELS: '' });
      expect(allowedModels(empty).has(empty.LLM_MODEL_DEFAULT)).toBe(true);
    });

    it('drops a stored model that is no longer allowed; the env chain still answers', () => {
      const env = { ...config, LLM_ALLOWED_MODELS: ['openai/gpt-3.5-turbo'] };
      const selection = allowedSelection(
        { modelDefault: 'openai/o1-pro', modelFallback: ['openai/gpt-3.5-turbo', 'z/zz'] },
        env,
      );
      expect(selection).toMatchObject({
        modelDefault: null,
        modelFallback: ['openai/gpt-3.5-turbo'],
      });
      expect(resolveModelChain(selection, env)[0]).toBe('openai/gpt-3.5-turbo');
    });
  });
});
