import fs from 'node:fs';
import { startFakeOpenRouter, type FakeOpenRouter } from '../../dev/fakes/fake-openrouter';
import { createTenant } from '../../dev/support/tenants';
import { startApp, type RunningApp } from '../../dev/support/app-harness';
import { expectLedgerInvariant } from '../billing/support/billing-harness';
import { api } from '../../dev/support/admin-api';

/**
 * Everything the process writes to stdout/stderr, however it writes it (pino writes to fd 1
 * through sonic-boom with fs.write/fs.writeSync; Nest and console use the streams).
 */
function captureOutput() {
  const chunks: string[] = [];
  const keep = (data: unknown) => {
    if (typeof data === 'string') chunks.push(data);
    else if (data instanceof Uint8Array) chunks.push(Buffer.from(data).toString('utf8'));
  };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation((d: unknown) => (keep(d), true)),
    jest.spyOn(process.stderr, 'write').mockImplementation((d: unknown) => (keep(d), true)),
    jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, d: unknown) => {
      if (fd === 1 || fd === 2) return (keep(d), typeof d === 'string' ? d.length : 0);
      return 0;
    }) as typeof fs.writeSync),
  ];
  const realWrite = fs.write;
  const writeSpy = jest.spyOn(fs, 'write').mockImplementation(((...args: unknown[]) => {
    const [fd, d] = args as [number, unknown];
    if (fd === 1 || fd === 2) {
      keep(d);
      const cb = args[args.length - 1] as (e: null, n: number) => void;
      if (typeof cb === 'function') cb(null, typeof d === 'string' ? Buffer.byteLength(d) : 0);
      return;
    }
    return (realWrite as (...a: unknown[]) => void)(...args);
  }) as typeof fs.write);
  spies.push(writeSpy as unknown as (typeof spies)[number]);
  return {
    text: () => chunks.join(''),
    restore: () => spies.forEach((s) => s.mockRestore()),
  };
}

describe('Admin LLM configuration (e2e, fake OpenRouter)', () => {
  const SECRET = `sk-or-v1-${'a1b2c3d4'.repeat(6)}SeCrEt9876`;
  let openrouter: FakeOpenRouter;
  let t: RunningApp;
  let output: ReturnType<typeof captureOutput>;
  const bodies: string[] = [];

  beforeAll(async () => {
    openrouter = await startFakeOpenRouter();
    output = captureOutput();
    // Everything logged, so the test sees every line that could carry the key.
    t = await startApp({
      OPENROUTER_BASE_URL: openrouter.baseUrl,
      LOG_LEVEL: 'trace',
      LLM_ALLOWED_MODELS: 'openai/gpt-4o-mini,anthropic/claude-3-haiku',
    });
  });
  afterAll(async () => {
    await t?.close();
    output?.restore();
    await openrouter?.close();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await api(t, method, path, { body });
    bodies.push(res.text);
    return res;
  };

  it('stores the key sealed, shows only its last 4, and never logs or returns it', async () => {
    const shop = await createTenant(t.db);
    const put = await call('PUT', `/admin/tenants/${shop.id}/llm-config`, {
      apiKey: SECRET,
      modelDefault: 'openai/gpt-4o-mini',
      modelFallback: ['anthropic/claude-3-haiku'],
      maxTokens: 300,
      isActive: true,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ hasApiKey: true, apiKeyLast4: '9876', maxTokens: 300 });
    const get = await call('GET', `/admin/tenants/${shop.id}/llm-config`);
    expect(get.body).toMatchObject({ hasApiKey: true, apiKeyLast4: '9876' });

    const [row] = (await t.db.query(
      `SELECT t::text AS everything, encode(api_key_ciphertext, 'escape') AS raw
         FROM tenant_llm_config t WHERE tenant_id = $1`,
      [shop.id],
    )) as { everything: string; raw: string }[];
    expect(row.everything).not.toContain(SECRET);
    expect(row.everything).not.toContain(Buffer.from(SECRET).toString('hex'));
    expect(row.raw).not.toContain(SECRET);

    openrouter.setValidKeys([SECRET]);
    const ok = await call('POST', `/admin/tenants/${shop.id}/llm-config/test`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, model: 'openai/gpt-4o-mini' });
    expect(typeof ok.body.latencyMs).toBe('number');
    expect(openrouter.chatRequests().at(-1)?.apiKey).toBe(SECRET);

    const usage = await t.db.query(
      `SELECT operation, tokens_charged, tokens_total, inbound_wamid FROM token_usage WHERE tenant_id = $1`,
      [shop.id],
    );
    expect(usage).toEqual([
      expect.objectContaining({ operation: 'test', tokens_charged: 0, inbound_wamid: null }),
    ]);
    expect((usage as { tokens_total: number }[])[0].tokens_total).toBeGreaterThan(0);
    const balance = await call('GET', `/admin/tenants/${shop.id}/balance`);
    expect(balance.body).toMatchObject({ available: 0, lifetimeUsed: 0 });
    await expectLedgerInvariant(t.db, shop.id);

    // A key the provider rejects: a clean { ok: false }, the key still nowhere.
    openrouter.setValidKeys(['sk-some-other-key']);
    const bad = await call('POST', `/admin/tenants/${shop.id}/llm-config/test`);
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({ ok: false, model: 'openai/gpt-4o-mini' });
    expect(typeof bad.body.error).toBe('string');
    openrouter.setValidKeys(null);

    // A bad update names the field without echoing the value.
    const invalid = await call('PUT', `/admin/tenants/${shop.id}/llm-config`, {
      apiKey: `${SECRET} with spaces`,
      maxTokens: 5,
    });
    expect(invalid.status).toBe(400);
    const fields = (invalid.body as unknown as { errors: { field: string }[] }).errors.map(
      (e) => e.field,
    );
    expect(fields).toEqual(expect.arrayContaining(['apiKey', 'maxTokens']));

    for (const body of bodies) expect(body).not.toContain(SECRET);
    const logs = output.text();
    expect(logs).toContain(shop.id); // the capture really saw the app's log lines
    expect(logs).not.toContain(SECRET);
    expect(logs).not.toContain(SECRET.slice(0, 20));
  });

  it('clears the key with null and validates everything else', async () => {
    const shop = await createTenant(t.db);
    await call('PUT', `/admin/tenants/${shop.id}/llm-config`, { apiKey: SECRET });
    const cleared = await call('PUT', `/admin/tenants/${shop.id}/llm-config`, { apiKey: null });
    expect(cleared.body).toMatchObject({ hasApiKey: false, apiKeyLast4: null });
    const bad = await call('PUT', `/admin/tenants/${shop.id}/llm-config`, {
      profile: 'turbo',
      modelFallback: 'x',
      extra: 1,
    });
    expect(bad.status).toBe(400);
    const fields = (bad.body as unknown as { errors: { field: string }[] }).errors.map(
      (e) => e.field,
    );
    expect(fields).toEqual(expect.arrayContaining(['profile', 'modelFallback']));
    expect(JSON.stringify(bad.body)).toMatch(/unknown field\(s\): extra/);
  });

  it('refuses (400) a model outside LLM_ALLOWED_MODELS and stores nothing', async () => {
    const shop = await createTenant(t.db);
    const bad = await call('PUT', `/admin/tenants/${shop.id}/llm-config`, {
      modelDefault: 'anthropic/claude-3-opus',
      modelFallback: ['openai/gpt-4o-mini', 'openai/o1-pro'],
    });
    expect(bad.status).toBe(400);
    const errors = (bad.body as unknown as { errors: { field: string; reason: string }[] }).errors;
    expect(errors.map((e) => e.field)).toEqual(['modelDefault', 'modelFallback.1']);
    expect(errors[0].reason).toContain('openai/gpt-4o-mini');
    const stored = await call('GET', `/admin/tenants/${shop.id}/llm-config`);
    expect(stored.body).toMatchObject({ modelDefault: null, modelFallback: [] });
    const ok = await call('PUT', `/admin/tenants/${shop.id}/llm-config`, {
      modelDefault: 'anthropic/claude-3-haiku',
    });
    expect(ok.status).toBe(200);
  });

  it('answers 404 for an unknown tenant', async () => {
    const id = '7d0f1d8e-2f59-4c1b-9d5e-000000000000';
    expect((await call('GET', `/admin/tenants/${id}/llm-config`)).status).toBe(404);
    expect((await call('PUT', `/admin/tenants/${id}/llm-config`, { isActive: true })).status).toBe(
      404,
    );
    expect((await call('POST', `/admin/tenants/${id}/llm-config/test`)).status).toBe(404);
    expect((await call('GET', `/admin/tenants/not-a-uuid/llm-config`)).status).toBe(404);
  });
});
