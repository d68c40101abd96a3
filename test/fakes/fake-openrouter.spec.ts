import OpenAI, { APIConnectionError, APIError } from 'openai';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { startFakeOpenRouter, type FakeOpenRouter } from '../../dev/fakes/fake-openrouter';

const TOOLS: ChatCompletionTool[] = [
  tool('get_sales_summary', { period: { type: 'string', enum: ['hoy', 'semana', 'mes'] } }),
  tool('get_stock', { product: { type: 'string' } }),
  tool('get_low_stock', {}),
  tool('get_profit', { period: { type: 'string' } }),
  tool('get_price', { product: { type: 'string' } }),
];

function tool(name: string, properties: Record<string, unknown>): ChatCompletionTool {
  return {
    type: 'function',
    function: { name, description: name, parameters: { type: 'object', properties } },
  };
}

describe('fake OpenRouter', () => {
  let fake: FakeOpenRouter;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeOpenRouter();
    client = sdk('sk-or-test');
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  function sdk(apiKey: string, timeout = 5_000): OpenAI {
    return new OpenAI({ apiKey, baseURL: fake.baseUrl, maxRetries: 0, timeout });
  }

  function ask(text: string, extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {}) {
    return client.chat.completions.create({
      model: 'anthropic/claude-3-haiku',
      messages: [{ role: 'user', content: text }],
      tools: TOOLS,
      ...extra,
    });
  }

  async function statusOf(promise: Promise<unknown>): Promise<APIError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(APIError);
    return err as APIError;
  }

  describe('default responder', () => {
    it.each([
      ['¿Cuánto vendí hoy?', 'get_sales_summary', { period: 'hoy' }],
      ['cuanto vendi esta semana', 'get_sales_summary', { period: 'semana' }],
      ['cuántas cocas me quedan', 'get_stock', { product: 'coca' }],
      ['qué me falta surtir', 'get_low_stock', {}],
      ['cuánto gané este mes', 'get_profit', { period: 'mes' }],
      ['a cómo tengo el aceite', 'get_price', { product: 'aceite' }],
    ])('"%s" → %s', async (text, name, args) => {
      const res = await ask(text);
      const choice = res.choices[0]!;
      expect(choice.finish_reason).toBe('tool_calls');
      expect(choice.message.content).toBeNull();
      const call = choice.message.tool_calls![0]!;
      expect(call.type).toBe('function');
      if (call.type !== 'function') return;
      expect(call.function.name).toBe(name);
      expect(JSON.parse(call.function.arguments)).toEqual(args);
      expect(call.id).toMatch(/^call_/);
    });

    it('only calls tools that were offered', async () => {
      const res = await ask('cuánto gané hoy', { tools: [TOOLS[0]!] });
      expect(res.choices[0]!.message.tool_calls).toBeUndefined();
      expect(res.choices[0]!.message.content).toMatch(/ventas/);
    });

    it('answers in Spanish from the tool result JSON', async () => {
      const res = await client.chat.completions.create({
        model: 'openai/gpt-3.5-turbo',
        tools: TOOLS,
        messages: [
          { role: 'user', content: 'cuanto vendi hoy' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'get_sales_summary', arguments: '{"period":"hoy"}' },
              },
            ],
          },
          {
            role: 'tool',
            tool_call_id: 'call_1',
            content: JSON.stringify({ total: 125050, totalFormatted: '$1,250.50', count: 14 }),
          },
        ],
      });
      expect(res.choices[0]!.finish_reason).toBe('stop');
      expect(res.choices[0]!.message.content).toBe('Llevas $1,250.50 en ventas (14 ventas).');
    });

    it('makes small talk without tools', async () => {
      const res = await ask('hola buenos días', { tools: undefined });
      expect(res.choices[0]!.message.content).toMatch(/^¡Hola!/);
    });
  });

  describe('response shape and usage', () => {
    it('returns an OpenRouter-shaped completion with usage and cost', async () => {
      const res = await ask('hola', { tools: undefined });
      const body = res as unknown as Record<string, unknown>;
      expect(body).toMatchObject({
        object: 'chat.completion',
        model: 'anthropic/claude-3-haiku',
        provider: 'Anthropic',
      });
      expect(res.id).toMatch(/^gen-/);
      expect(res.choices[0]).toMatchObject({ index: 0, native_finish_reason: 'end_turn' });
      const usage = res.usage as unknown as Record<string, unknown>;
      expect(usage.total_tokens).toBe(res.usage!.prompt_tokens + res.usage!.completion_tokens);
      expect(typeof usage.cost).toBe('number');
      expect(usage.cost).toBeGreaterThan(0);
      expect(usage).toHaveProperty('prompt_tokens_details.cached_tokens', 0);
      expect(usage).toHaveProperty('completion_tokens_details.reasoning_tokens', 0);
    });

    it('estimates prompt tokens deterministically from messages and tool schemas', async () => {
      const a = await ask('hola', { tools: undefined });
      const b = await ask('hola', { tools: undefined });
      const withTools = await ask('hola');
      expect(a.usage!.prompt_tokens).toBe(b.usage!.prompt_tokens);
      expect(withTools.usage!.prompt_tokens).toBeGreaterThan(a.usage!.prompt_tokens + 50);
    });

    it('truncates at max_tokens with finish_reason "length"', async () => {
      fake.enqueue({ content: 'palabra '.repeat(100) });
      const res = await ask('hola', { max_tokens: 10 });
      expect(res.choices[0]!.finish_reason).toBe('length');
      expect(res.choices[0]!.message.content).toHaveLength(40);
      expect(res.usage!.completion_tokens).toBe(10);
    });

    it('lets a test override usage, including a missing cost', async () => {
      fake.enqueue({ content: 'ok', usage: { promptTokens: 7, completionTokens: 3, cost: null } });
      const res = await ask('hola');
      expect(res.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
      expect(res.usage).not.toHaveProperty('cost');
    });

    it('records requests with headers, key, body and model', async () => {
      await ask('hola');
      const [req] = fake.chatRequests();
      expect(req).toMatchObject({
        method: 'POST',
        path: '/api/v1/chat/completions',
        apiKey: 'sk-or-test',
        model: 'anthropic/claude-3-haiku',
        stream: false,
      });
      expect(req!.headers['content-type']).toContain('application/json');
      expect(req!.body!.messages).toHaveLength(1);
    });

    it('lists models with pricing', async () => {
      const res = await fetch(`${fake.baseUrl}/models`);
      const body = (await res.json()) as { data: { id: string; pricing: { prompt: string } }[] };
      expect(body.data.map((m) => m.id)).toContain('openai/gpt-3.5-turbo');
      expect(Number(body.data[0]!.pricing.prompt)).toBeGreaterThan(0);
    });
  });

  describe('streaming', () => {
    it('frames SSE like OpenRouter: comment, role, deltas, finish, usage, [DONE]', async () => {
      fake.enqueue({ content: 'Hoy llevas $500.00' });
      const res = await fetch(`${fake.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'openai/gpt-4o-mini',
          stream: true,
          messages: [{ role: 'user', content: 'hola' }],
        }),
      });
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const text = await res.text();
      const events = text.split('\n\n').filter(Boolean);
      expect(events[0]).toBe(': OPENROUTER PROCESSING');
      expect(events.at(-1)).toBe('data: [DONE]');
      const chunks = events
        .slice(1, -1)
        .map((e) => JSON.parse(e.replace(/^data: /, '')) as Record<string, unknown>);
      expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
      const last = chunks.at(-1)!;
      expect(last.choices).toEqual([]);
      expect(last.usage).toMatchObject({
        prompt_tokens: expect.any(Number),
        cost: expect.any(Number),
      });
      const finish = chunks.at(-2) as { choices: { finish_reason: string }[] };
      expect(finish.choices[0]!.finish_reason).toBe('stop');
    });

    it('streams content and incremental tool calls the SDK can accumulate', async () => {
      fake.enqueue({
        content: 'Déjame ver.',
        toolCalls: [{ name: 'get_stock', arguments: { product: 'coca cola 600ml' } }],
      });
      const stream = await client.chat.completions.create({
        model: 'openai/gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'cuantas cocas' }],
        tools: TOOLS,
      });
      let content = '';
      let args = '';
      let name = '';
      let finish: string | null = null;
      let pieces = 0;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        if (!choice) continue;
        content += choice.delta.content ?? '';
        for (const call of choice.delta.tool_calls ?? []) {
          name ||= call.function?.name ?? '';
          args += call.function?.arguments ?? '';
          pieces += 1;
        }
        finish = choice.finish_reason ?? finish;
      }
      expect(content).toBe('Déjame ver.');
      expect(name).toBe('get_stock');
      expect(pieces).toBeGreaterThan(2);
      expect(JSON.parse(args)).toEqual({ product: 'coca cola 600ml' });
      expect(finish).toBe('tool_calls');
    });

    it('sends an error event mid-stream that the SDK raises', async () => {
      fake.enqueue({ content: 'uno dos tres cuatro', streamError: { message: 'upstream died' } });
      const stream = await client.chat.completions.create({
        model: 'openai/gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'hola' }],
      });
      let received = '';
      const err = await (async () => {
        try {
          for await (const chunk of stream) received += chunk.choices[0]?.delta.content ?? '';
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(APIError);
      expect((err as APIError).message).toContain('upstream died');
      expect(received).toBe('uno ');
    });

    it('can drop the connection mid-stream', async () => {
      fake.enqueue({ content: 'uno dos tres', drop: { afterChunks: 2 } });
      const stream = await client.chat.completions.create({
        model: 'openai/gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'hola' }],
      });
      await expect(
        (async () => {
          for await (const _chunk of stream) {
            // drain
          }
        })(),
      ).rejects.toThrow();
    });
  });

  describe('errors', () => {
    it.each([400, 401, 402, 408, 429, 502, 503])(
      'answers %i with OpenRouter’s error body',
      async (status) => {
        fake.enqueue({ status });
        const err = await statusOf(ask('hola'));
        expect(err.status).toBe(status);
        expect(err.error).toMatchObject({ code: status, message: expect.any(String) });
      },
    );

    it('403 carries moderation reasons in metadata', async () => {
      fake.enqueue({ status: 403 });
      const err = await statusOf(ask('hola'));
      expect(err.status).toBe(403);
      expect(err.error).toMatchObject({
        metadata: { reasons: expect.any(Array), model_slug: 'anthropic/claude-3-haiku' },
      });
    });

    it('429 can carry Retry-After', async () => {
      fake.enqueue({ status: 429, retryAfter: 3, message: 'slow down' });
      const err = await statusOf(ask('hola'));
      expect(err.headers?.get('retry-after')).toBe('3');
      expect(err.message).toBe('429 slow down');
    });

    it('200 with an error object and no choices', async () => {
      fake.enqueue({ bodyError: { code: 502, message: 'provider overloaded' } });
      const res = await ask('hola');
      const body = res as unknown as Record<string, unknown>;
      expect(body.error).toEqual({ code: 502, message: 'provider overloaded' });
      expect(body.choices).toBeUndefined();
    });

    it('200 with empty choices', async () => {
      fake.enqueue({ emptyChoices: true });
      const res = await ask('hola');
      expect(res.choices).toEqual([]);
    });

    it('drops the connection', async () => {
      fake.enqueue({ drop: true });
      await expect(ask('hola')).rejects.toBeInstanceOf(APIConnectionError);
    });

    it('delays the answer past a client timeout', async () => {
      // Without the delay the call would succeed: the rejection is the client's timeout.
      fake.enqueue({ delayMs: 300 });
      // Under jest the SDK may report a plain connection error for its own timeout (the
      // AbortError crosses realms), so only the base class is asserted.
      await expect(
        sdk('k', 50).chat.completions.create({
          model: 'm/x',
          messages: [{ role: 'user', content: 'hola' }],
        }),
      ).rejects.toBeInstanceOf(APIConnectionError);
    });

    it('delays, then answers', async () => {
      fake.enqueue({ delayMs: 60, content: 'tarde' });
      const started = Date.now();
      const res = await ask('hola');
      expect(Date.now() - started).toBeGreaterThanOrEqual(55);
      expect(res.choices[0]!.message.content).toBe('tarde');
    });

    it('rejects a missing or unknown key with 401', async () => {
      const res = await fetch(`${fake.baseUrl}/chat/completions`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(401);
      fake.setValidKeys(['sk-or-good']);
      expect((await statusOf(ask('hola'))).status).toBe(401);
      const good = await sdk('sk-or-good').chat.completions.create({
        model: 'm/x',
        messages: [{ role: 'user', content: 'hola' }],
      });
      expect(good.choices).toHaveLength(1);
    });

    it('validates the request like the real service (400)', async () => {
      const err = await statusOf(client.chat.completions.create({ model: 'm/x', messages: [] }));
      expect(err.status).toBe(400);
      const strict = await startFakeOpenRouter({ strictModels: true });
      try {
        const c = new OpenAI({ apiKey: 'k', baseURL: strict.baseUrl, maxRetries: 0 });
        const e = await statusOf(
          c.chat.completions.create({
            model: 'no/such',
            messages: [{ role: 'user', content: 'x' }],
          }),
        );
        expect(e.message).toContain('not a valid model ID');
      } finally {
        await strict.close();
      }
    });
  });

  describe('scripting', () => {
    it('fails N times on one model, while another model answers', async () => {
      fake.on('anthropic/claude-3-haiku', { status: 429 }, { times: 2 });
      expect((await statusOf(ask('hola'))).status).toBe(429);
      const other = await ask('hola', { model: 'openai/gpt-3.5-turbo', tools: undefined });
      expect(other.model).toBe('openai/gpt-3.5-turbo');
      expect((await statusOf(ask('hola'))).status).toBe(429);
      const third = await ask('hola', { tools: undefined });
      expect(third.choices[0]!.message.content).toMatch(/Hola/);
      expect(fake.chatRequests('anthropic/claude-3-haiku')).toHaveLength(3);
    });

    it('runs enqueued behaviours in order and supports functions and regexes', async () => {
      const rule = fake.on(/^openai\//, (req) => ({ content: `eco ${req.model}` }));
      fake.enqueue({ content: 'primero' }, { content: 'segundo' });
      expect((await ask('x', { model: 'openai/gpt-4o-mini' })).choices[0]!.message.content).toBe(
        'eco openai/gpt-4o-mini',
      );
      rule.remove();
      expect((await ask('x')).choices[0]!.message.content).toBe('primero');
      expect((await ask('x')).choices[0]!.message.content).toBe('segundo');
      expect(rule.hits).toBe(1);
    });

    it('replaces and restores the default answerer', async () => {
      fake.setDefault(() => ({ content: 'siempre esto' }));
      expect((await ask('hola')).choices[0]!.message.content).toBe('siempre esto');
      fake.setDefault();
      expect((await ask('hola', { tools: undefined })).choices[0]!.message.content).toMatch(/Hola/);
    });

    it('reset forgets rules and recorded requests', async () => {
      fake.on(() => true, { status: 500 });
      await statusOf(ask('x'));
      fake.reset();
      expect(fake.requests).toHaveLength(0);
      await expect(ask('hola')).resolves.toBeDefined();
    });
  });
});
