import { formatMoney } from '../../src/common/money';
import type { RecordedRequest } from '../../dev/fakes/fake-openrouter';
import { sellPackage } from '../../dev/support/admin';
import { api } from '../../dev/support/admin-api';
import { eventually } from '../../dev/support/app-harness';
import { useAppWithFakes } from '../../dev/support/app-with-fakes';
import { createTenant, type TestTenant } from '../../dev/support/tenants';
import { envelope, newWamid, postWebhook, textMessage } from '../../dev/support/webhook';
import { addProduct, addSale, type TestProduct } from '../support/store';

/**
 * The response cache end to end: the same question over the same data is answered from
 * Redis for 0 tokens (one LLM call for two answers), a new sale changes the data in the key
 * (a miss), and a shop that opted out always calls the model.
 */
describe('response cache (e2e: webhook → worker → cache or LLM → reply)', () => {
  const { graph, llm, t } = useAppWithFakes(
    {
      LLM_MODEL_DEFAULT: 'anthropic/claude-3-haiku',
      LLM_MODEL_FALLBACK: 'openai/gpt-3.5-turbo',
      RESPONSE_CACHE_TTL_SECONDS: '600',
    },
    { resetGraph: true },
  );

  const systemOf = (r: RecordedRequest) =>
    String(r.body?.messages?.find((m) => m.role === 'system')?.content ?? '');
  const callsFor = (shop: TestTenant) =>
    llm.chatRequests().filter((r) => systemOf(r).includes(shop.name));

  async function openShop(): Promise<{ shop: TestTenant; coca: TestProduct; todayCents: number }> {
    const shop = await createTenant(t.db);
    await sellPackage(t, shop.id, 'pro');
    const coca = await addProduct(t.db, shop.id, {
      name: 'Coca-Cola 600 ml',
      aliases: ['coca'],
      priceCents: 1850,
      costCents: 1300,
    });
    const big = await addProduct(t.db, shop.id, { name: 'Coca-Cola 2 L', priceCents: 3800 });
    const now = Date.now();
    const todayCents =
      (await addSale(t.db, shop.id, coca, 3, new Date(now - 60_000))) +
      (await addSale(t.db, shop.id, big, 1, new Date(now - 120_000)));
    return { shop, coca, todayCents };
  }

  async function ask(shop: TestTenant, text: string): Promise<{ wamid: string; reply: string }> {
    const wamid = newWamid();
    const res = await postWebhook(
      t.url,
      envelope(
        { messages: [textMessage({ from: shop.ownerWaId, text, wamid })] },
        shop.phoneNumberId,
      ),
    );
    expect(res.status).toBe(200);
    const sent = await eventually(
      async () => {
        const [row] = (await t.db.query(
          `SELECT wamid FROM outbound_messages
            WHERE inbound_wamid = $1 AND purpose = 'reply' AND wamid IS NOT NULL`,
          [wamid],
        )) as { wamid: string }[];
        return row && graph.sent.find((s) => s.wamid === row.wamid);
      },
      15_000,
      `a reply to "${text}"`,
    );
    return { wamid, reply: sent.text };
  }

  const usage = (wamid: string): Promise<Record<string, unknown>[]> =>
    t.db.query(`SELECT * FROM token_usage WHERE inbound_wamid = $1 ORDER BY seq`, [wamid]);
  const available = async (tenantId: string): Promise<number> => {
    const [row] = (await t.db.query(`SELECT available FROM tenant_balances WHERE tenant_id = $1`, [
      tenantId,
    ])) as { available: number }[];
    return row.available;
  };

  it('answers the same question over the same data from the cache, for 0 tokens', async () => {
    const { shop, todayCents } = await openShop();
    const first = await ask(shop, '¿cuánto vendí hoy?');
    expect(first.reply).toContain(formatMoney(todayCents));
    const [paid] = await usage(first.wamid);
    expect(paid).toMatchObject({ operation: 'chat', cache: false });
    const firstTokens = Number(paid.tokens_total);
    expect(firstTokens).toBeGreaterThan(0);
    const balanceAfterFirst = await available(shop.id);

    // Written differently, normalized the same; the first exchange is now in the history.
    const second = await ask(shop, 'Cuanto vendi hoy');
    expect(second.reply).toBe(first.reply);
    expect(callsFor(shop)).toHaveLength(1);
    expect(await usage(second.wamid)).toEqual([
      expect.objectContaining({
        operation: 'chat',
        cache: true,
        tokens_total: 0,
        tokens_charged: 0,
        tokens_saved: firstTokens,
        seq: 1,
      }),
    ]);
    expect(await available(shop.id)).toBe(balanceAfterFirst);

    const report = await api<{ totals: Record<string, number> }>(
      t,
      'GET',
      `/admin/tenants/${shop.id}/usage?groupBy=operation`,
    );
    expect(report.status).toBe(200);
    expect(report.body.totals).toMatchObject({
      cacheHits: 1,
      cacheMisses: 1,
      tokensSaved: firstTokens,
      chargedTokens: firstTokens,
    });
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/llm_response_cache_total\{result="hit"\} [1-9]/);
    expect(metrics).toMatch(/llm_response_cache_tokens_saved_total [1-9]/);
  });

  it('misses after a new sale: the data in the prompt, and so the key, changed', async () => {
    const { shop, coca, todayCents } = await openShop();
    const first = await ask(shop, '¿cuánto vendí hoy?');
    expect(first.reply).toContain(formatMoney(todayCents));
    const newTotal = todayCents + (await addSale(t.db, shop.id, coca, 2, new Date()));
    const second = await ask(shop, '¿cuánto vendí hoy?');
    expect(second.reply).toContain(formatMoney(newTotal));
    expect(callsFor(shop)).toHaveLength(2);
    const [row] = await usage(second.wamid);
    expect(row).toMatchObject({ cache: false });
    expect(Number(row.tokens_charged)).toBeGreaterThan(0);
  });

  it('a shop that opted out calls the model every time', async () => {
    const { shop } = await openShop();
    const off = await api(t, 'PUT', `/admin/tenants/${shop.id}/settings`, {
      body: { responseCacheEnabled: false },
    });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ responseCacheEnabled: false, dailyCloseEnabled: false });
    const bad = await api(t, 'PUT', `/admin/tenants/${shop.id}/settings`, {
      body: { dailyCloseTime: '25:00' },
    });
    expect(bad.status).toBe(400);
    await ask(shop, '¿cuánto vendí hoy?');
    const second = await ask(shop, '¿cuánto vendí hoy?');
    expect(callsFor(shop)).toHaveLength(2);
    expect(await usage(second.wamid)).toEqual([expect.objectContaining({ cache: false })]);
  });
});
