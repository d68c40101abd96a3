import type { RecordedRequest } from '../../dev/fakes/fake-openrouter';
import { sellPackage } from '../../dev/support/admin';
import { api } from '../../dev/support/admin-api';
import { eventually } from '../../dev/support/app-harness';
import { useAppWithFakes } from '../../dev/support/app-with-fakes';
import { createTenant, type TestTenant } from '../../dev/support/tenants';
import { envelope, newWamid, postWebhook, textMessage } from '../../dev/support/webhook';
import { DAILY_CAP_REACHED, SLOW_DOWN } from '../../src/assistant/replies/spanish-replies';
import { addProduct, addSale } from '../support/store';
import { sampleValue, scrape as scrapeMetrics } from '../support/prom-text';

/**
 * Abuse limits end to end (webhook → worker → limits in Redis → reply): a burst of 25
 * messages from one number gets 10 answers and one "espera", the rest stored and not sent to
 * the LLM; a shop over its daily token cap (set by an admin) gets a friendly reply, no LLM.
 */
describe('abuse limits (e2e: per-chat rate limit, per-shop daily token cap)', () => {
  const LIMIT = 10;
  const { graph, llm, t } = useAppWithFakes({
    CHAT_RATE_LIMIT_MESSAGES: String(LIMIT),
    // One window for the whole burst (fixed windows: a boundary inside it would split it).
    CHAT_RATE_LIMIT_WINDOW_SECONDS: '86400',
  });

  const systemOf = (r: RecordedRequest) =>
    String(r.body?.messages?.find((m) => m.role === 'system')?.content ?? '');
  const callsFor = (shop: TestTenant) =>
    llm.chatRequests().filter((r) => systemOf(r).includes(shop.name));

  async function openShop(): Promise<TestTenant> {
    const shop = await createTenant(t.db);
    await sellPackage(t, shop.id, 'pro');
    const coca = await addProduct(t.db, shop.id, { name: 'Coca-Cola 600 ml', priceCents: 1850 });
    await addSale(t.db, shop.id, coca, 2, new Date(Date.now() - 60_000));
    return shop;
  }

  async function send(shop: TestTenant, text: string): Promise<string> {
    const wamid = newWamid();
    const res = await postWebhook(
      t.url,
      envelope(
        { messages: [textMessage({ from: shop.ownerWaId, text, wamid })] },
        shop.phoneNumberId,
      ),
    );
    expect(res.status).toBe(200);
    return wamid;
  }

  const settled = (wamids: string[]) =>
    eventually(
      async () => {
        const rows = (await t.db.query(
          `SELECT wamid, status, ignore_reason FROM inbound_messages WHERE wamid = ANY($1)`,
          [wamids],
        )) as { wamid: string; status: string; ignore_reason: string | null }[];
        const done = rows.filter((r) => r.status === 'processed' || r.status === 'ignored');
        return done.length === wamids.length && rows;
      },
      120_000,
      `${wamids.length} messages processed or ignored`,
    );

  const replyText = async (wamid: string): Promise<string | undefined> => {
    const [row] = (await t.db.query(
      `SELECT wamid FROM outbound_messages
        WHERE inbound_wamid = $1 AND purpose = 'reply' AND wamid IS NOT NULL`,
      [wamid],
    )) as { wamid: string }[];
    return row && graph.sent.find((s) => s.wamid === row.wamid)?.text;
  };

  const usageOf = async (wamids: string[]) =>
    (await t.db.query(
      `SELECT inbound_wamid, tokens_total FROM token_usage WHERE inbound_wamid = ANY($1)`,
      [wamids],
    )) as { inbound_wamid: string; tokens_total: number }[];

  const scrape = () => scrapeMetrics(t.url);

  it('answers 10 of a 25-message burst, says "espera" once, and sends the rest to no LLM', async () => {
    const shop = await openShop();
    const before = await scrape();
    const wamids: string[] = [];
    for (let i = 0; i < 25; i++) wamids.push(await send(shop, '¿cuánto vendí hoy?'));
    const rows = await settled(wamids);
    const byWamid = new Map(rows.map((r) => [r.wamid, r]));

    const answered = wamids.slice(0, LIMIT);
    const slowDown = wamids[LIMIT];
    const dropped = wamids.slice(LIMIT + 1);
    for (const w of [...answered, slowDown]) expect(byWamid.get(w)?.status).toBe('processed');
    for (const w of dropped) {
      expect(byWamid.get(w)).toMatchObject({ status: 'ignored', ignore_reason: 'rate_limited' });
    }
    // Every answered one reached the owner; the 11th is the one "espera".
    for (const w of answered) {
      const text = await eventually(() => replyText(w), 30_000, `the reply to ${w}`);
      expect(text).not.toBe(SLOW_DOWN);
    }
    expect(await eventually(() => replyText(slowDown), 30_000, 'the espera reply')).toBe(SLOW_DOWN);
    const outbound = (await t.db.query(
      `SELECT count(*)::int AS n FROM outbound_messages WHERE inbound_wamid = ANY($1)`,
      [dropped],
    )) as { n: number }[];
    expect(outbound[0].n).toBe(0);
    expect(graph.sent.filter((s) => s.to === shop.ownerWaId && s.text === SLOW_DOWN)).toHaveLength(
      1,
    );

    // Tokens only for the 10 answered: one LLM call each at the fake, none for the 15 others.
    const usage = await usageOf(wamids);
    expect(usage.filter((u) => !answered.includes(u.inbound_wamid))).toEqual([]);
    expect(new Set(usage.map((u) => u.inbound_wamid)).size).toBe(LIMIT);
    expect(callsFor(shop)).toHaveLength(usage.length);
    const tokens = usage.reduce((n, u) => n + Number(u.tokens_total), 0);
    expect(tokens).toBeGreaterThan(0);
    process.stdout.write(
      `[abuse-limits] 25-message burst: ${callsFor(shop).length} LLM calls, ${tokens} tokens\n`,
    );

    const after = await scrape();
    expect(sampleValue(after, 'chat_rate_limited_messages_total')).toBe(
      sampleValue(before, 'chat_rate_limited_messages_total') + 25 - LIMIT,
    );
    expect(sampleValue(after, 'chat_rate_limited_chats_total')).toBe(
      sampleValue(before, 'chat_rate_limited_chats_total') + 1,
    );
  });

  it('refuses, with no LLM call, once the shop spent the daily token cap an admin set', async () => {
    const shop = await openShop();
    const bad = await api(t, 'PUT', `/admin/tenants/${shop.id}/settings`, {
      body: { dailyTokenCap: -1 },
    });
    expect(bad.status).toBe(400);
    const set = await api(t, 'PUT', `/admin/tenants/${shop.id}/settings`, {
      body: { dailyTokenCap: 1 },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ dailyTokenCap: 1 });
    const before = await scrape();

    // Under the cap (0 spent): answered by the model, which spends more than the cap.
    const first = await send(shop, '¿cuánto vendí hoy?');
    await settled([first]);
    const firstText = await eventually(() => replyText(first), 30_000, 'the first reply');
    expect(firstText).not.toBe(DAILY_CAP_REACHED);
    expect((await usageOf([first])).length).toBeGreaterThan(0);
    const calls = callsFor(shop).length;
    expect(calls).toBeGreaterThan(0);

    // Over it: the friendly reply, no LLM call, no token_usage row.
    const second = await send(shop, '¿cuánto vendí hoy?');
    await settled([second]);
    expect(await eventually(() => replyText(second), 30_000, 'the cap reply')).toBe(
      DAILY_CAP_REACHED,
    );
    expect(await usageOf([second])).toEqual([]);
    expect(callsFor(shop)).toHaveLength(calls);
    const after = await scrape();
    expect(sampleValue(after, 'billing_daily_token_cap_refusals_total')).toBe(
      sampleValue(before, 'billing_daily_token_cap_refusals_total') + 1,
    );

    // 0 = unlimited: the model answers again.
    const lifted = await api(t, 'PUT', `/admin/tenants/${shop.id}/settings`, {
      body: { dailyTokenCap: 0 },
    });
    expect(lifted.status).toBe(200);
    const third = await send(shop, '¿cuánto vendí hoy?');
    await settled([third]);
    expect(await eventually(() => replyText(third), 30_000, 'the third reply')).not.toBe(
      DAILY_CAP_REACHED,
    );
    expect(callsFor(shop).length).toBeGreaterThan(calls);
  });
});
