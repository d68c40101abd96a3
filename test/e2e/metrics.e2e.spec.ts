import type { RecordedRequest } from '../../dev/fakes/fake-openrouter';
import { sellPackage } from '../../dev/support/admin';
import { eventually, startApp, type RunningApp } from '../../dev/support/app-harness';
import { useAppWithFakes } from '../../dev/support/app-with-fakes';
import { createTenant, type TestTenant } from '../../dev/support/tenants';
import { envelope, newWamid, postWebhook, textMessage } from '../../dev/support/webhook';
import { QueueMetricsService } from '../../src/observability/queue-metrics.service';
import { addProduct, addSale } from '../support/store';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { sampleValue, scrape, type PromSample } from '../support/prom-text';
import { missingRefs, promqlRefs } from '../support/promql-refs';

const DEFAULT_MODEL = 'anthropic/claude-3-haiku';
const FALLBACK_MODEL = 'openai/gpt-3.5-turbo';

/**
 * /metrics under real traffic: a signed webhook in, the worker, the fake OpenRouter, the
 * reply at the fake Graph API; each figure is checked as a delta against what the test made
 * happen (counted by hand or read back with SQL).
 */
describe('metrics (e2e: they move as traffic flows)', () => {
  const { graph, llm, t } = useAppWithFakes(
    {
      LLM_MODEL_DEFAULT: DEFAULT_MODEL,
      LLM_MODEL_FALLBACK: FALLBACK_MODEL,
      LLM_ATTEMPTS_PER_MODEL: '2',
      LLM_BACKOFF_BASE_MS: '10',
      LLM_BACKOFF_MAX_MS: '40',
      QUEUE_METRICS_INTERVAL_MS: '200',
    },
    { resetGraph: true },
  );

  const systemOf = (r: RecordedRequest) =>
    String(r.body?.messages?.find((m) => m.role === 'system')?.content ?? '');
  const forShop = (shop: TestTenant, model?: string) => (r: RecordedRequest) =>
    (!model || r.model === model) && systemOf(r).includes(shop.name);

  async function shopWithSales(pkg: string): Promise<TestTenant> {
    const shop = await createTenant(t.db);
    await sellPackage(t, shop.id, pkg);
    const coca = await addProduct(t.db, shop.id, {
      name: 'Coca-Cola 600 ml',
      aliases: ['coca'],
      priceCents: 1850,
      costCents: 1300,
    });
    await addProduct(t.db, shop.id, { name: 'Coca-Cola 2 L', priceCents: 3800, costCents: 2900 });
    await addSale(t.db, shop.id, coca, 2, new Date(Date.now() - 5_000));
    return shop;
  }

  async function ask(shop: TestTenant, text: string): Promise<string> {
    const wamid = newWamid();
    const res = await postWebhook(
      t.url,
      envelope(
        { messages: [textMessage({ from: shop.ownerWaId, text, wamid })] },
        shop.phoneNumberId,
      ),
    );
    expect(res.status).toBe(200);
    await eventually(
      async () => {
        const [row] = (await t.db.query(`SELECT status FROM inbound_messages WHERE wamid = $1`, [
          wamid,
        ])) as { status: string }[];
        return row && ['processed', 'failed'].includes(row.status);
      },
      15_000,
      `the job of "${text}"`,
    );
    return wamid;
  }

  const delta = (before: PromSample[], after: PromSample[], name: string, labels = {}) =>
    Math.round((sampleValue(after, name, labels) - sampleValue(before, name, labels)) * 1e9) / 1e9;

  it('counts the LLM call, its tokens and cost, the answer, its latency and the Graph send', async () => {
    const shop = await shopWithSales('basico');
    // 920 tokens out of the basic package's 1,000 → the low-balance notice goes too.
    llm.on(
      forShop(shop),
      { usage: { promptTokens: 200, completionTokens: 720, cost: 0.0125 } },
      { times: 1 },
    );
    const before = await scrape(t.url);
    const wamid = await ask(shop, '¿cuánto vendí hoy?');
    const after = await scrape(t.url);

    const calls = llm.chatRequests().filter(forShop(shop));
    expect(calls).toHaveLength(1);
    const usage = (await t.db.query(
      `SELECT COALESCE(SUM(tokens_prompt), 0)::int AS prompt,
              COALESCE(SUM(tokens_completion), 0)::int AS completion,
              COALESCE(SUM(tokens_total), 0)::int AS total
         FROM token_usage WHERE inbound_wamid = $1`,
      [wamid],
    )) as { prompt: number; completion: number; total: number }[];
    expect(usage[0]).toEqual({ prompt: 200, completion: 720, total: 920 });

    const llmOk = { model: DEFAULT_MODEL, operation: 'chat', outcome: 'ok', fallback_level: '1' };
    expect(delta(before, after, 'llm_requests_total', llmOk)).toBe(1);
    expect(
      delta(before, after, 'llm_request_duration_seconds_count', { model: DEFAULT_MODEL }),
    ).toBe(1);
    const tokens = { model: DEFAULT_MODEL, operation: 'chat' };
    expect(delta(before, after, 'llm_tokens_total', { ...tokens, type: 'prompt' })).toBe(200);
    expect(delta(before, after, 'llm_tokens_total', { ...tokens, type: 'completion' })).toBe(720);
    expect(delta(before, after, 'llm_cost_usd_total', tokens)).toBe(0.0125);

    expect(delta(before, after, 'assistant_answers_total', { level: '1' })).toBe(1);
    expect(delta(before, after, 'assistant_answer_tokens_sum', { level: '1' })).toBe(920);
    expect(delta(before, after, 'assistant_answer_latency_seconds_count', { level: '1' })).toBe(1);
    expect(delta(before, after, 'billing_low_balance_notices_total')).toBe(1);
    // The reply and the notice.
    const sent = { outcome: 'sent', error_code: 'none' };
    expect(delta(before, after, 'whatsapp_outbound_total', sent)).toBe(2);

    expect(delta(before, after, 'webhook_requests_total', { outcome: 'ok' })).toBe(1);
    expect(delta(before, after, 'webhook_ingest_duration_seconds_count', { outcome: 'ok' })).toBe(
      1,
    );
    expect(
      delta(before, after, 'inbound_messages_total', { type: 'text', outcome: 'stored' }),
    ).toBe(1);
    expect(delta(before, after, 'inbound_jobs_total', { outcome: 'answered' })).toBe(1);
    const route = { route: '/webhooks/whatsapp', method: 'POST', status_class: '2xx' };
    expect(delta(before, after, 'http_request_duration_seconds_count', route)).toBe(1);
    // Tenant ids are never labels: per-shop figures come from the usage report.
    expect(after.some((s) => Object.values(s.labels).includes(shop.id))).toBe(false);
  });

  it('counts failed attempts by kind and fallback level, and Graph refusals by error code', async () => {
    const shop = await shopWithSales('pro');
    llm.on(forShop(shop, DEFAULT_MODEL), { status: 429, message: 'Rate limit', retryAfter: 0 });
    // The read receipt is the first POST /messages (its failure is ignored), the reply the second.
    graph.failNext({ status: 400, code: 131026, message: 'Receiver is incapable' }, 2);
    const before = await scrape(t.url);
    await ask(shop, '¿cuánto vendí hoy?');
    // The job's final failure is counted by the worker's failed event, after the row is marked.
    const after = await eventually(async () => {
      const s = await scrape(t.url);
      return delta(before, s, 'inbound_jobs_total', { outcome: 'failed' }) === 1 && s;
    });

    const limited = llm.chatRequests().filter(forShop(shop, DEFAULT_MODEL)).length;
    expect(limited).toBe(2);
    expect(
      delta(before, after, 'llm_requests_total', {
        model: DEFAULT_MODEL,
        outcome: 'rate_limited',
        fallback_level: '1',
      }),
    ).toBe(limited);
    expect(
      delta(before, after, 'llm_requests_total', {
        model: FALLBACK_MODEL,
        outcome: 'ok',
        fallback_level: '1b',
      }),
    ).toBe(llm.chatRequests().filter(forShop(shop, FALLBACK_MODEL)).length);
    expect(delta(before, after, 'assistant_answers_total', { level: '1b' })).toBe(1);
    expect(
      delta(before, after, 'whatsapp_outbound_total', {
        outcome: 'undeliverable',
        error_code: '131026',
      }),
    ).toBe(1);
    expect(delta(before, after, 'inbound_jobs_total', { outcome: 'failed' })).toBe(1);
  });

  it('counts the tokens the platform absorbs when an answer falls back to level 2', async () => {
    const shop = await shopWithSales('pro');
    llm.on(
      forShop(shop),
      { toolCalls: [{ name: 'get_sales_summary', arguments: { period: 'hoy', product: 'coca' } }] },
      { times: 1 },
    );
    llm.on(forShop(shop), { status: 402, message: 'Insufficient credits' });
    const before = await scrape(t.url);
    const wamid = await ask(shop, 'dame ideas de promociones');
    const after = await scrape(t.url);
    const [row] = (await t.db.query(
      `SELECT COALESCE(SUM(tokens_total - tokens_charged), 0)::int AS absorbed
         FROM token_usage WHERE inbound_wamid = $1`,
      [wamid],
    )) as { absorbed: number }[];
    expect(row.absorbed).toBeGreaterThan(0);
    expect(delta(before, after, 'billing_absorbed_tokens_total', { reason: 'fallback' })).toBe(
      row.absorbed,
    );
    expect(delta(before, after, 'assistant_answers_total', { level: '2' })).toBe(1);
    expect(delta(before, after, 'llm_requests_total', { outcome: 'no_credits' })).toBeGreaterThan(
      0,
    );
  });

  it('counts pending actions by outcome: proposed, confirmed, cancelled', async () => {
    const shop = await createTenant(t.db);
    await sellPackage(t, shop.id, 'pro');
    await addProduct(t.db, shop.id, {
      name: 'Sabritas Original 45 g',
      aliases: ['sabritas'],
      priceCents: 2100,
      stock: 8,
    });
    const post = async (message: Record<string, unknown>) => {
      const res = await postWebhook(t.url, envelope({ messages: [message] }, shop.phoneNumberId));
      expect(res.status).toBe(200);
      return eventually(
        async () => {
          const [row] = (await t.db.query(
            `SELECT wamid FROM outbound_messages
              WHERE inbound_wamid = $1 AND purpose = 'reply' AND wamid IS NOT NULL`,
            [message.id],
          )) as { wamid: string }[];
          return row && graph.sent.find((m) => m.wamid === row.wamid);
        },
        30_000,
        `the reply to ${String(message.id)}`,
      );
    };
    const buttonOf = (body: Record<string, unknown>, title: string) =>
      (
        body.interactive as { action: { buttons: { reply: { id: string; title: string } }[] } }
      ).action.buttons.find((b) => b.reply.title === title)!.reply;
    const tap = (id: string, title: string) =>
      post({
        from: shop.ownerWaId,
        id: newWamid(),
        timestamp: String(Math.floor(Date.now() / 1000)),
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id, title } },
      });
    const before = await scrape(t.url);
    const sale = await post(textMessage({ from: shop.ownerWaId, text: 'vendí una sabritas' }));
    await tap(buttonOf(sale.body, 'Sí').id, 'Sí');
    const other = await post(textMessage({ from: shop.ownerWaId, text: 'vendí dos sabritas' }));
    await tap(buttonOf(other.body, 'No').id, 'No');
    const after = await scrape(t.url);

    const statuses = (await t.db.query(
      `SELECT status, count(*)::int AS n FROM pending_actions WHERE tenant_id = $1
        GROUP BY status ORDER BY status`,
      [shop.id],
    )) as { status: string; n: number }[];
    expect(statuses).toEqual([
      { status: 'cancelled', n: 1 },
      { status: 'executed', n: 1 },
    ]);
    expect(delta(before, after, 'pending_actions_total', { outcome: 'proposed' })).toBe(2);
    expect(delta(before, after, 'pending_actions_total', { outcome: 'confirmed' })).toBe(1);
    expect(delta(before, after, 'pending_actions_total', { outcome: 'cancelled' })).toBe(1);
    // Tenant ids are never labels.
    const labels = after.filter((m) => m.name === 'pending_actions_total').map((m) => m.labels);
    expect(labels.every((l) => Object.keys(l).join() === 'outcome')).toBe(true);
  });

  it('never turns payload text into label values (one POST once made 50 of them)', async () => {
    const before = await scrape(t.url);
    const changes = Array.from({ length: 50 }, (_, i) => ({
      field: `made_up_field_${i}_${Math.random().toString(36).slice(2)}`,
      value: {},
    }));
    const types = Array.from({ length: 50 }, () =>
      textMessage({ from: '5215512345678', text: 'x' }),
    ).map((m, i) => ({ ...m, type: `weird_type_${i}` }));
    const body = envelope({ messages: types });
    (body.entry as { changes: unknown[] }[])[0].changes.push(...changes);
    expect((await postWebhook(t.url, body)).status).toBe(200);
    const after = await scrape(t.url);

    const skipped = after.filter((s) => s.name === 'webhook_skipped_items_total');
    expect(skipped.map((s) => s.labels.reason)).toEqual(['unsubscribed_field']);
    expect(delta(before, after, 'webhook_skipped_items_total')).toBe(50);
    expect(
      delta(before, after, 'inbound_messages_total', { type: 'other', outcome: 'stored' }),
    ).toBe(50);
    const labelValues = after.flatMap((s) => Object.values(s.labels));
    expect(labelValues.filter((v) => /made_up_field|weird_type/.test(v))).toEqual([]);
  });

  it('alert rules and the dashboard refer only to metrics and labels of this scrape (after the traffic above)', async () => {
    const after = await scrape(t.url);
    const root = join(__dirname, '..', '..', 'deploy');
    const rules = parseYaml(readFileSync(join(root, 'prometheus', 'alerts.yml'), 'utf8')) as {
      groups: { rules: { alert: string; expr: string; annotations: Record<string, string> }[] }[];
    };
    const all = rules.groups.flatMap((g) => g.rules);
    expect(all.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'AnswerLatencyP95High',
        'TokensPerRequestHigh',
        'LlmErrorRateHigh',
        'DailyCostHigh',
        'DegradedAnswersHigh',
        'QueueBacklogGrowing',
        'FailedJobs',
        'Webhook5xx',
        'GraphSendFailures',
      ]),
    );
    for (const rule of all) {
      expect(rule.annotations.summary).toBeTruthy();
      expect(rule.annotations.runbook).toBeTruthy();
      expect(promqlRefs(rule.expr).metrics.length).toBeGreaterThan(0);
      expect({ alert: rule.alert, missing: missingRefs(rule.expr, after) }).toEqual({
        alert: rule.alert,
        missing: [],
      });
    }
    const dashboard = JSON.parse(
      readFileSync(join(root, 'grafana', 'changarrito.json'), 'utf8'),
    ) as { panels: { title: string; targets: { expr: string }[] }[] };
    const targets = dashboard.panels.flatMap((p) =>
      p.targets.map((x) => ({ p: p.title, expr: x.expr })),
    );
    expect(targets.length).toBeGreaterThan(10);
    for (const { p, expr } of targets) {
      expect({ panel: p, missing: missingRefs(expr, after) }).toEqual({ panel: p, missing: [] });
    }
    // The checker is not vacuous: a made-up name and label are reported.
    expect(missingRefs('sum by (shop) (rate(llm_tokenz_total{tenant="x"}[5m]))', after)).toEqual([
      'metric llm_tokenz_total',
      'label llm_tokenz_total{tenant}',
      'by (shop)',
    ]);
  });
});

describe('queue gauges are sampled, not read from Redis per scrape', () => {
  let api: RunningApp;

  beforeAll(async () => {
    // No worker: what is posted stays waiting. A long interval: only the boot sample runs.
    api = await startApp({ QUEUE_METRICS_INTERVAL_MS: '600000' }, 'api');
  });
  afterAll(() => api?.close());

  it('shows the backlog at the next sample, whatever the number of scrapes in between', async () => {
    const sampler = api.app.get(QueueMetricsService);
    await sampler.sample();
    const waiting = { queue: 'inbound', state: 'waiting' };
    const first = await scrape(api.url);
    expect(sampleValue(first, 'queue_jobs', waiting)).toBe(0);
    const stamp = sampleValue(first, 'queue_metrics_last_sample_timestamp_seconds');
    expect(stamp).toBeGreaterThan(0);

    const shop = await createTenant(api.db);
    const messages = [1, 2, 3].map((i) => textMessage({ from: shop.ownerWaId, text: `m${i}` }));
    expect((await postWebhook(api.url, envelope({ messages }, shop.phoneNumberId))).status).toBe(
      200,
    );
    await eventually(async () => {
      const [r] = (await api.db.query(
        `SELECT count(*)::int AS n FROM inbound_messages WHERE wamid = ANY($1) AND status = 'queued'`,
        [messages.map((m) => m.id)],
      )) as { n: number }[];
      return r.n === 3;
    });
    for (let i = 0; i < 5; i++) {
      const s = await scrape(api.url);
      expect(sampleValue(s, 'queue_jobs', waiting)).toBe(0);
      expect(sampleValue(s, 'queue_metrics_last_sample_timestamp_seconds')).toBe(stamp);
    }
    await sampler.sample();
    const later = await scrape(api.url);
    expect(sampleValue(later, 'queue_jobs', waiting)).toBe(3);
    expect(sampleValue(later, 'queue_metrics_last_sample_timestamp_seconds')).toBeGreaterThan(
      stamp,
    );
  });
});
