import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { startFakeOpenRouter, type FakeOpenRouter } from '../../dev/fakes/fake-openrouter';
import { LlmGatewayClient } from './llm-gateway.client';
import { LlmChainFailedError } from './llm-error';
import type { LlmAttemptRecord, LlmGatewayOptions, LlmRequest } from './llm.types';

const HAIKU = 'anthropic/claude-3-haiku';
const GPT = 'openai/gpt-3.5-turbo';
const PLATFORM_KEY = 'sk-or-platform-key';

const TOOLS: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_sales_summary',
      description: 'Ventas del periodo',
      parameters: { type: 'object', properties: { period: { type: 'string' } } },
    },
  },
];

describe('LlmGatewayClient against the fake OpenRouter', () => {
  let fake: FakeOpenRouter;

  beforeAll(async () => {
    fake = await startFakeOpenRouter();
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  /**
   * A sleep that only records, so the suite stays fast. The default timeout leaves room for a
   * loaded CI machine; timeout tests set 200 ms against much longer fake delays.
   */
  function setup(overrides: Partial<LlmGatewayOptions> = {}) {
    const records: LlmAttemptRecord[] = [];
    const sleeps: number[] = [];
    const gateway = new LlmGatewayClient({
      baseUrl: fake.baseUrl,
      apiKey: PLATFORM_KEY,
      timeoutMs: 2_000,
      deadlineMs: 10_000,
      attemptsPerModel: 2,
      backoffBaseMs: 100,
      backoffMaxMs: 8_000,
      appUrl: 'https://changarrito.test',
      appTitle: 'Changarrito Test',
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      onCall: (r) => records.push(r),
      ...overrides,
    });
    return { gateway, records, sleeps };
  }

  function request(overrides: Partial<LlmRequest> = {}): LlmRequest {
    return {
      messages: [{ role: 'user', content: '¿cuánto vendí hoy?' }],
      tools: TOOLS,
      models: [HAIKU, GPT],
      maxTokens: 300,
      operation: 'chat',
      tenantId: 'tenant-1',
      ...overrides,
    };
  }

  async function failure(promise: Promise<unknown>): Promise<LlmChainFailedError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LlmChainFailedError);
    return err as LlmChainFailedError;
  }

  describe('success', () => {
    it('answers from the default model with tool calls, usage and one record', async () => {
      const { gateway, records } = setup();
      const result = await gateway.complete(request());

      expect(result).toMatchObject({ model: HAIKU, modelIndex: 0, finishReason: 'tool_calls' });
      expect(result.message.content).toBeNull();
      expect(result.message.toolCalls).toEqual([
        {
          id: expect.stringMatching(/^call_/),
          name: 'get_sales_summary',
          arguments: '{"period":"hoy"}',
        },
      ]);
      expect(result.provider).toBe('Anthropic');
      expect(result.generationId).toMatch(/^gen-/);
      expect(result.usage.promptTokens).toBeGreaterThan(0);
      expect(result.usage.totalTokens).toBe(
        result.usage.promptTokens + result.usage.completionTokens,
      );
      expect(result.usage.costUsd).toBeGreaterThan(0);
      expect(result.usage.estimated).toBe(false);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        model: HAIKU,
        modelIndex: 0,
        attempt: 1,
        modelAttempt: 1,
        tenantId: 'tenant-1',
        operation: 'chat',
        outcome: 'ok',
        status: null,
        promptTokens: result.usage.promptTokens,
        costUsd: result.usage.costUsd,
        keySource: 'platform',
        alert: false,
      });
      expect(result.attempts).toEqual(records);
    });

    it('parses usage and cost exactly as reported, and a missing cost as null', async () => {
      const { gateway } = setup();
      fake.enqueue({
        content: 'hola',
        usage: { promptTokens: 120, completionTokens: 30, cost: 0.000123 },
      });
      const first = await gateway.complete(request());
      expect(first.usage).toEqual({
        promptTokens: 120,
        completionTokens: 30,
        totalTokens: 150,
        costUsd: 0.000123,
        estimated: false,
      });
      fake.enqueue({ content: 'hola', usage: { cost: null } });
      expect((await gateway.complete(request())).usage.costUsd).toBeNull();
    });

    it('sends attribution headers, usage.include, max_tokens and the tools', async () => {
      const { gateway } = setup();
      await gateway.complete(request({ temperature: 0.2 }));
      const [sent] = fake.chatRequests();
      expect(sent!.headers['http-referer']).toBe('https://changarrito.test');
      expect(sent!.headers['x-title']).toBe('Changarrito Test');
      expect(sent!.apiKey).toBe(PLATFORM_KEY);
      expect(sent!.body).toMatchObject({
        model: HAIKU,
        max_tokens: 300,
        temperature: 0.2,
        usage: { include: true },
        tools: TOOLS,
      });
      expect(sent!.body!.stream).toBeUndefined();
    });

    it('leaves tools out when none are offered', async () => {
      const { gateway } = setup();
      const result = await gateway.complete(request({ tools: [] }));
      expect(result.message.content).toMatch(/ventas/);
      expect(fake.chatRequests()[0]!.body).not.toHaveProperty('tools');
    });

    it('uses a tenant key for that call only and never records it', async () => {
      fake.setValidKeys([PLATFORM_KEY, 'sk-or-tenant-key']);
      const { gateway, records } = setup();
      await gateway.complete(request({ apiKey: 'sk-or-tenant-key' }));
      await gateway.complete(request());
      expect(fake.chatRequests().map((r) => r.apiKey)).toEqual(['sk-or-tenant-key', PLATFORM_KEY]);
      expect(records.map((r) => r.keySource)).toEqual(['tenant', 'platform']);
      expect(JSON.stringify(records)).not.toMatch(/sk-or-/);
      await gateway.complete(request({ apiKey: '  ' }));
      expect(fake.chatRequests().at(-1)!.apiKey).toBe(PLATFORM_KEY);
    });
  });

  describe('fallback to the next model (level 1b)', () => {
    it('429 on the default model: retried with backoff, then the fallback answers', async () => {
      const { gateway, records, sleeps } = setup();
      fake.on(HAIKU, { status: 429 });
      const result = await gateway.complete(request());
      expect(result).toMatchObject({ model: GPT, modelIndex: 1 });
      expect(fake.chatRequests(HAIKU)).toHaveLength(2);
      expect(fake.chatRequests(GPT)).toHaveLength(1);
      // Full jitter: random (0.5) × min(max, base × 2^0).
      expect(sleeps).toEqual([50]);
      expect(records.map((r) => [r.model, r.modelAttempt, r.outcome, r.status])).toEqual([
        [HAIKU, 1, 'rate_limited', 429],
        [HAIKU, 2, 'rate_limited', 429],
        [GPT, 1, 'ok', null],
      ]);
      expect(records.map((r) => r.attempt)).toEqual([1, 2, 3]);
    });

    it('honours Retry-After before retrying the same model', async () => {
      const { gateway, sleeps } = setup();
      fake.on(HAIKU, { status: 429, retryAfter: 2 }, { times: 1 });
      const result = await gateway.complete(request());
      expect(result).toMatchObject({ model: HAIKU, modelIndex: 0 });
      expect(sleeps).toHaveLength(1);
      expect(sleeps[0]).toBeGreaterThanOrEqual(2_000);
    });

    it('does not wait out a Retry-After beyond the cap: moves to the next model at once', async () => {
      const { gateway, sleeps } = setup();
      fake.on(HAIKU, { status: 429, retryAfter: 60 });
      const result = await gateway.complete(request());
      expect(result.modelIndex).toBe(1);
      expect(sleeps).toEqual([]);
      expect(fake.chatRequests(HAIKU)).toHaveLength(1);
    });

    it('timeout on the default model goes straight to the next one', async () => {
      const { gateway, records } = setup({ timeoutMs: 200 });
      fake.on(HAIKU, { delayMs: 1_500 });
      // Had the gateway waited out the delay, Haiku's answer would have been 'ok'.
      const result = await gateway.complete(request());
      expect(result).toMatchObject({ model: GPT, modelIndex: 1 });
      expect(records.map((r) => r.outcome)).toEqual(['timeout', 'ok']);
      expect(records[0]!.latencyMs).toBeGreaterThanOrEqual(190);
    });

    it('timeout on the last model is retried there', async () => {
      const { gateway, records } = setup({ timeoutMs: 200 });
      fake.on(HAIKU, { delayMs: 1_500 }, { times: 1 });
      const result = await gateway.complete(request({ models: [HAIKU] }));
      expect(result.modelIndex).toBe(0);
      expect(records.map((r) => r.outcome)).toEqual(['timeout', 'ok']);
    });

    it('dropped connection: retried, then the next model', async () => {
      const { gateway, records } = setup();
      fake.on(HAIKU, { drop: true });
      const result = await gateway.complete(request());
      expect(result.modelIndex).toBe(1);
      expect(records.map((r) => r.outcome)).toEqual(['network', 'network', 'ok']);
    });

    it('HTTP 200 with an error body is a failed attempt, never an empty answer', async () => {
      const { gateway, records } = setup();
      fake.on(HAIKU, { bodyError: { code: 502, message: 'provider overloaded' } }, { times: 1 });
      const result = await gateway.complete(request());
      expect(result).toMatchObject({ model: HAIKU, modelIndex: 0 });
      expect(records[0]).toMatchObject({ outcome: 'provider_error', status: null });
      expect(records[0]!.providerMessage).toBe('[502] provider overloaded');
    });

    it('empty choices and empty answers are failed attempts', async () => {
      const { gateway, records } = setup();
      fake.on(HAIKU, { emptyChoices: true });
      fake.on(GPT, { content: '' }, { times: 1 });
      const result = await gateway.complete(request());
      expect(result).toMatchObject({ model: GPT, modelIndex: 1 });
      expect(records.map((r) => r.outcome)).toEqual([
        'provider_error',
        'provider_error',
        'provider_error',
        'ok',
      ]);
    });

    it('503 (no provider for the routing) moves to the next model without retrying', async () => {
      const { gateway } = setup();
      fake.on(HAIKU, { status: 503 });
      const result = await gateway.complete(request());
      expect(result.modelIndex).toBe(1);
      expect(fake.chatRequests(HAIKU)).toHaveLength(1);
    });

    it('404 (unknown model) moves to the next model', async () => {
      const { gateway } = setup();
      fake.on(HAIKU, { status: 404 });
      expect((await gateway.complete(request())).modelIndex).toBe(1);
      expect(fake.chatRequests(HAIKU)).toHaveLength(1);
    });
  });

  describe('failures that end the call (level 2)', () => {
    it('402: no_credits, flagged for alerting, one request, no other model', async () => {
      const { gateway, records } = setup();
      fake.on(() => true, { status: 402 });
      const err = await failure(gateway.complete(request()));
      expect(err).toMatchObject({ kind: 'no_credits', status: 402, retryable: false, alert: true });
      expect(fake.chatRequests()).toHaveLength(1);
      expect(records[0]).toMatchObject({ outcome: 'no_credits', alert: true, status: 402 });
    });

    it('401: auth, exactly one request on any model', async () => {
      fake.setValidKeys(['someone-else']);
      const { gateway } = setup();
      const err = await failure(gateway.complete(request()));
      expect(err).toMatchObject({ kind: 'auth', status: 401, retryable: false });
      expect(fake.chatRequests()).toHaveLength(1);
    });

    it('403: forbidden with moderation reasons, without the flagged input', async () => {
      const { gateway } = setup();
      fake.on(() => true, { status: 403 });
      const err = await failure(gateway.complete(request()));
      expect(err.kind).toBe('forbidden');
      expect(err.metadata).toMatchObject({ reasons: ['harassment'] });
      expect(err.metadata).not.toHaveProperty('flagged_input');
      expect(fake.chatRequests()).toHaveLength(1);
    });

    it('400: bad_request with the provider message, exactly one request', async () => {
      const { gateway, records } = setup();
      fake.on(() => true, { status: 400, message: 'tools[0].function.parameters is invalid' });
      const err = await failure(gateway.complete(request()));
      expect(err).toMatchObject({
        kind: 'bad_request',
        status: 400,
        providerMessage: 'tools[0].function.parameters is invalid',
      });
      expect(err.message).toContain('bad_request (400)');
      expect(fake.chatRequests()).toHaveLength(1);
      expect(records[0]!.providerMessage).toBe('tools[0].function.parameters is invalid');
    });

    it('every model failing: the last error decides, all attempts attached', async () => {
      const { gateway } = setup();
      fake.on(() => true, { status: 502 });
      const err = await failure(gateway.complete(request()));
      expect(err.kind).toBe('provider_unavailable');
      expect(err.attempts).toHaveLength(4);
      expect(err.modelsTried).toEqual([HAIKU, GPT]);
      expect(err.message).toMatch(/provider_unavailable \(502\) on .* after 4 attempt/);
    });

    it('deadline stops the chain mid-attempt', async () => {
      const { gateway, records } = setup({ timeoutMs: 2_000, deadlineMs: 300 });
      fake.on(HAIKU, { delayMs: 3_000 });
      const err = await failure(gateway.complete(request()));
      expect(err.kind).toBe('deadline');
      expect(fake.chatRequests(GPT)).toHaveLength(0);
      expect(records.map((r) => r.outcome)).toEqual(['deadline']);
    });

    it('a deadlineAt already past makes no request', async () => {
      const { gateway } = setup();
      const err = await failure(gateway.complete(request({ deadlineAt: Date.now() - 1 })));
      expect(err.kind).toBe('deadline');
      expect(err.attempts).toEqual([]);
      expect(fake.chatRequests()).toHaveLength(0);
    });

    it('never sleeps past the deadline: skips the retry and tries the next model', async () => {
      const { gateway, sleeps } = setup({
        random: () => 1,
        backoffBaseMs: 5_000,
        deadlineMs: 2_000,
      });
      fake.on(HAIKU, { status: 502 });
      const result = await gateway.complete(request());
      expect(result.modelIndex).toBe(1);
      expect(sleeps).toEqual([]);
    });

    it('the caller can cancel', async () => {
      const { gateway } = setup();
      fake.on(() => true, { delayMs: 1_500 });
      const controller = new AbortController();
      // Cancelled once the request is at the provider (a fixed 50 ms could come before the
      // request was even sent on a loaded machine).
      const cancelWhenSent = async () => {
        while (fake.chatRequests().length === 0) await new Promise((r) => setTimeout(r, 5));
        controller.abort();
      };
      void cancelWhenSent();
      const err = await failure(gateway.complete(request({ signal: controller.signal })));
      expect(err.kind).toBe('aborted');
      expect(fake.chatRequests()).toHaveLength(1);
    });

    it('an empty chain is a bad request, not a crash', async () => {
      const { gateway } = setup();
      expect((await failure(gateway.complete(request({ models: [' '] })))).kind).toBe(
        'bad_request',
      );
    });
  });

  it('a throwing listener does not cost the answer', async () => {
    const { gateway } = setup({
      onCall: () => {
        throw new Error('metrics down');
      },
    });
    await expect(gateway.complete(request())).resolves.toMatchObject({ modelIndex: 0 });
  });
});
