import { formatMoney } from '../../src/common/money';
import { FRIENDLY_ERROR } from '../../src/assistant/replies/spanish-replies';
import type { SentMessage } from '../../dev/fakes/fake-graph-api';
import type { RecordedRequest } from '../../dev/fakes/fake-openrouter';
import { sellPackage } from '../../dev/support/admin';
import { api } from '../../dev/support/admin-api';
import { addProduct, addSale } from '../support/store';
import { createTenant, type TestTenant } from '../../dev/support/tenants';
import { eventually, startApp } from '../../dev/support/app-harness';
import { useAppWithFakes } from '../../dev/support/app-with-fakes';
import {
  envelope,
  newPhoneNumberId,
  newWaId,
  newWamid,
  postWebhook,
  textMessage,
} from '../../dev/support/webhook';
import { seedDemo } from '../../database/seeds/demo';

const DEFAULT_MODEL = 'anthropic/claude-3-haiku';
const FALLBACK_MODEL = 'openai/gpt-3.5-turbo';
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The assistant end to end: a signed webhook in, the worker, the tool loop against real
 * data in PostgreSQL, the fake OpenRouter scripted per test, the reply at the fake Graph API.
 * Each test uses its own shop; OpenRouter rules match on the shop's name in the system prompt.
 */
describe('assistant (e2e: webhook → worker → LLM with fallback → reply)', () => {
  const { graph, llm, t } = useAppWithFakes(
    {
      LLM_MODEL_DEFAULT: DEFAULT_MODEL,
      LLM_MODEL_FALLBACK: FALLBACK_MODEL,
      LLM_ATTEMPTS_PER_MODEL: '2',
      LLM_BACKOFF_BASE_MS: '10',
      LLM_BACKOFF_MAX_MS: '40',
      LLM_TIMEOUT_MS: '800',
      LLM_DEADLINE_MS: '10000',
    },
    { resetGraph: true },
  );

  interface Shop extends TestTenant {
    /** The whole shop's sales (four tickets today, two yesterday). */
    todayCents: number;
    todayTickets: number;
    yesterdayCents: number;
    /** Coca-Cola 600 ml alone (alias "coca"), beside its look-alike 2 L and the Sabritas. */
    cocaTodayCents: number;
  }

  /**
   * A shop with a Pro package and look-alike products: sales of one product are never the
   * shop's sales, so a store total cannot pass for a product's.
   */
  async function openShop(options: { tokens?: boolean; timezone?: string } = {}): Promise<Shop> {
    const tenant = await createTenant(t.db, { timezone: options.timezone });
    if (options.tokens !== false) await sellPackage(t, tenant.id, 'pro');
    const coca = await addProduct(t.db, tenant.id, {
      name: 'Coca-Cola 600 ml',
      aliases: ['coca'],
      priceCents: 1850,
      costCents: 1300,
    });
    const big = await addProduct(t.db, tenant.id, {
      name: 'Coca-Cola 2 L',
      priceCents: 3800,
      costCents: 2900,
    });
    const chips = await addProduct(t.db, tenant.id, {
      name: 'Sabritas Original 45 g',
      aliases: ['sabritas'],
      priceCents: 1900,
      costCents: 1400,
    });
    const now = Date.now();
    const cocaTodayCents =
      (await addSale(t.db, tenant.id, coca, 3, new Date(now - 5_000))) +
      (await addSale(t.db, tenant.id, coca, 1, new Date(now - 10_000)));
    const todayCents =
      cocaTodayCents +
      (await addSale(t.db, tenant.id, big, 2, new Date(now - 15_000))) +
      (await addSale(t.db, tenant.id, chips, 1, new Date(now - 20_000)));
    const yesterdayCents =
      (await addSale(t.db, tenant.id, coca, 7, new Date(now - DAY_MS))) +
      (await addSale(t.db, tenant.id, chips, 2, new Date(now - DAY_MS - 60_000)));
    return { ...tenant, todayCents, todayTickets: 4, yesterdayCents, cocaTodayCents };
  }

  const systemOf = (r: RecordedRequest) =>
    String(r.body?.messages?.find((m) => m.role === 'system')?.content ?? '');
  const forShop = (shop: TestTenant, model?: string) => (r: RecordedRequest) =>
    (!model || r.model === model) && systemOf(r).includes(shop.name);
  const callsFor = (shop: TestTenant, model?: string) =>
    llm.chatRequests().filter(forShop(shop, model));

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
    const sent = await sentReplyTo(wamid, `a reply to "${text}"`);
    return { wamid, reply: sent.text };
  }

  /**
   * The message Meta received as the reply to `wamid`, found by the id Meta gave it, not by
   * arrival order: a notice for an earlier message may reach the owner in between.
   */
  async function sentReplyTo(wamid: string, what: string): Promise<SentMessage> {
    return eventually(
      async () => {
        const [row] = (await t.db.query(
          `SELECT wamid FROM outbound_messages
            WHERE inbound_wamid = $1 AND purpose = 'reply' AND wamid IS NOT NULL`,
          [wamid],
        )) as { wamid: string }[];
        return row && graph.sent.find((s) => s.wamid === row.wamid);
      },
      15_000,
      what,
    );
  }

  async function reply(wamid: string): Promise<Record<string, unknown>> {
    const rows: Record<string, unknown>[] = await t.db.query(
      `SELECT * FROM outbound_messages WHERE inbound_wamid = $1 AND purpose = 'reply'`,
      [wamid],
    );
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  async function balance(tenantId: string): Promise<{ available: number; reserved: number }> {
    const [row] = (await t.db.query(
      `SELECT available, reserved FROM tenant_balances WHERE tenant_id = $1`,
      [tenantId],
    )) as { available: number; reserved: number }[];
    return row ?? { available: 0, reserved: 0 };
  }

  async function usage(wamid: string): Promise<Record<string, unknown>[]> {
    return t.db.query(`SELECT * FROM token_usage WHERE inbound_wamid = $1 ORDER BY seq`, [wamid]);
  }

  async function debited(tenantId: string): Promise<number> {
    const [row] = (await t.db.query(
      `SELECT COALESCE(-SUM(available_delta + reserved_delta), 0)::int AS tokens
         FROM token_ledger WHERE tenant_id = $1 AND entry_type IN ('debit', 'adjustment')`,
      [tenantId],
    )) as { tokens: number }[];
    return row.tokens;
  }

  it('answers "¿cuánto vendí hoy?" with the exact total from the database, and charges what was used', async () => {
    const shop = await openShop();
    const before = await balance(shop.id);
    const { wamid, reply: text } = await ask(shop, '¿cuánto vendí hoy?');

    expect(text).toContain(formatMoney(shop.todayCents));
    expect((await reply(wamid)).fallback_level).toBe('1');

    // The obvious tool ran before the call: one round, its data in the prompt, no tool schemas.
    const calls = callsFor(shop);
    expect(calls).toHaveLength(1);
    expect(systemOf(calls[0])).toContain('Datos (get_sales_summary');
    expect(calls[0].body?.tools ?? []).toHaveLength(0);
    expect(calls[0].body?.usage).toEqual({ include: true });
    expect(calls[0].headers['x-title']).toBeTruthy();
    expect(calls[0].headers['http-referer']).toBeTruthy();

    const rows = await usage(wamid);
    expect(rows.length).toBe(calls.length);
    const used = rows.reduce((sum, r) => sum + Number(r.tokens_total), 0);
    const after = await balance(shop.id);
    expect(after.reserved).toBe(0);
    expect(before.available - after.available).toBe(used);
    expect(await debited(shop.id)).toBe(used);
  });

  it('answers "¿cuánto vendí de coca hoy?" with the product, not the whole shop, in one round', async () => {
    const shop = await openShop();
    const { wamid, reply: text } = await ask(shop, '¿cuánto vendí de coca hoy?');

    expect(text).toContain(formatMoney(shop.cocaTodayCents));
    expect(text).not.toContain(formatMoney(shop.todayCents));
    const calls = callsFor(shop);
    expect(calls).toHaveLength(1);
    expect(systemOf(calls[0])).toContain('"product":"Coca-Cola 600 ml"');
    expect(systemOf(calls[0])).toContain(formatMoney(shop.cocaTodayCents));
    expect(systemOf(calls[0])).not.toContain(formatMoney(shop.todayCents));
    expect((await reply(wamid)).fallback_level).toBe('1');
  });

  /** The model asks for a product's sales in round 1 (the question had no obvious read). */
  const callsCocaSales = {
    toolCalls: [{ name: 'get_sales_summary', arguments: { period: 'hoy', product: 'coca' } }],
  };

  it('runs the tool-calling loop when the question needs the model to pick a tool', async () => {
    const shop = await openShop();
    llm.on(forShop(shop), callsCocaSales, { times: 1 });
    const { wamid, reply: text } = await ask(shop, 'dame ideas de promociones');

    const calls = callsFor(shop);
    expect(calls).toHaveLength(2);
    const offered = calls[0].body?.tools?.map((tool) => tool.function?.name) ?? [];
    expect(offered).toEqual(expect.arrayContaining(['get_sales_summary', 'get_top_products']));
    // Round 2 carries the model's tool call and the tool's result: that product, this shop.
    const toolTurn = calls[1].body?.messages?.find((m) => m.role === 'tool');
    expect(String(toolTurn?.content)).toContain(formatMoney(shop.cocaTodayCents));
    expect(String(toolTurn?.content)).not.toContain(formatMoney(shop.todayCents));
    expect(text).toContain(formatMoney(shop.cocaTodayCents));
    expect((await usage(wamid)).map((u) => u.seq)).toEqual([1, 2]);
  });

  it('answers "¿cuánto vendí hoy?" on the demo seed with the exact total of the seeded day', async () => {
    // Seed up to 21:30 in Mexico City today, so "hoy" holds a full day of sales whatever
    // time the test runs (Mexico City is UTC-6 all year since 2022).
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(
      new Date(),
    );
    const ownerWaId = newWaId();
    const phoneNumberId = newPhoneNumberId();
    const seeded = await seedDemo(t.db, {
      now: new Date(`${today}T21:30:00-06:00`),
      ownerWaId,
      phoneNumberId,
    });
    await sellPackage(t, seeded.tenantId, 'pro');
    expect(seeded.today.totalCents).toBeGreaterThan(0);
    const shop: TestTenant = {
      id: seeded.tenantId,
      ownerWaId,
      ownerPhone: `+${ownerWaId}`,
      phoneNumberId,
      name: 'Abarrotes Doña Lupita',
    };
    const { wamid, reply: text } = await ask(shop, '¿cuánto vendí hoy?');
    expect(text).toContain(formatMoney(seeded.today.totalCents));
    expect((await reply(wamid)).fallback_level).toBe('1');
  });

  async function bothReplies(shop: Shop): Promise<{ text: string; wamid: string }[]> {
    return eventually(
      () => {
        const mine = graph.sent.filter((s) => s.to === shop.ownerWaId);
        return mine.length >= 2 && mine;
      },
      20_000,
      'both replies',
    );
  }

  async function expectOrderAndContext(shop: Shop, first: string, second: string) {
    const sent = await bothReplies(shop);
    expect(sent).toHaveLength(2);
    expect(sent[0].text).toContain(formatMoney(shop.todayCents));
    expect(sent[1].text).toContain(formatMoney(shop.yesterdayCents));
    // The fake records a send before the worker stores the wamid Graph returned: wait for it.
    const recorded = (wamid: string) =>
      eventually(async () => (await reply(wamid))?.wamid, 10_000, `reply to ${wamid} recorded`);
    expect(await recorded(first)).toBe(sent[0].wamid);
    expect(await recorded(second)).toBe(sent[1].wamid);
    // The follow-up was asked with the first exchange in the model's context.
    const followUp = callsFor(shop).find((r) =>
      r.body?.messages?.some((m) => m.role === 'user' && m.content === '¿y ayer?'),
    );
    const userTurns = followUp?.body?.messages?.filter((m) => m.role === 'user') ?? [];
    expect(userTurns.map((m) => m.content)).toEqual(['¿cuánto vendí hoy?', '¿y ayer?']);
  }

  it('keeps the order and the context of one chat: "¿cuánto vendí hoy?" then "¿y ayer?" back to back', async () => {
    const shop = await openShop();
    const ts = Math.floor(Date.now() / 1000);
    const [first, second] = [newWamid(), newWamid()];
    const send = (text: string, wamid: string, timestamp: number) =>
      postWebhook(
        t.url,
        envelope(
          { messages: [textMessage({ from: shop.ownerWaId, text, wamid, timestamp })] },
          shop.phoneNumberId,
        ),
      );
    await send('¿cuánto vendí hoy?', first, ts);
    await send('¿y ayer?', second, ts + 1);
    await expectOrderAndContext(shop, first, second);
  });

  it('answers in the order the messages were sent even when Meta delivers them reversed', async () => {
    const shop = await openShop();
    const ts = Math.floor(Date.now() / 1000);
    const [first, second] = [newWamid(), newWamid()];
    await postWebhook(
      t.url,
      envelope(
        {
          messages: [
            textMessage({
              from: shop.ownerWaId,
              text: '¿y ayer?',
              wamid: second,
              timestamp: ts + 1,
            }),
            textMessage({
              from: shop.ownerWaId,
              text: '¿cuánto vendí hoy?',
              wamid: first,
              timestamp: ts,
            }),
          ],
        },
        shop.phoneNumberId,
      ),
    );
    await expectOrderAndContext(shop, first, second);
  });

  it('falls back to the next model on 429 after bounded retries (level 1b)', async () => {
    const shop = await openShop();
    llm.on(forShop(shop, DEFAULT_MODEL), {
      status: 429,
      message: 'Rate limit exceeded',
      retryAfter: 0,
    });
    const { wamid, reply: text } = await ask(shop, '¿cuánto vendí hoy?');

    expect(text).toContain(formatMoney(shop.todayCents));
    expect((await reply(wamid)).fallback_level).toBe('1b');
    expect(callsFor(shop, DEFAULT_MODEL)).toHaveLength(2);
    const rows = await usage(wamid);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.model === FALLBACK_MODEL)).toBe(true);
  });

  it('keeps a tool-calling answer on the fallback model once the default has failed', async () => {
    const shop = await openShop();
    llm.on(forShop(shop, DEFAULT_MODEL), { status: 503, message: 'No available providers' });
    llm.on(forShop(shop, FALLBACK_MODEL), callsCocaSales, { times: 1 });
    const { wamid, reply: text } = await ask(shop, 'dame ideas de promociones');

    expect(text).toContain(formatMoney(shop.cocaTodayCents));
    expect((await reply(wamid)).fallback_level).toBe('1b');
    // 503 moves on at once (no provider for that model); round 2 did not try the default again.
    expect(callsFor(shop, DEFAULT_MODEL)).toHaveLength(1);
    expect(callsFor(shop, FALLBACK_MODEL)).toHaveLength(2);
    expect((await usage(wamid)).map((u) => u.model)).toEqual([FALLBACK_MODEL, FALLBACK_MODEL]);
  });

  it('moves to the next model when the default one times out', async () => {
    const shop = await openShop();
    llm.on(forShop(shop, DEFAULT_MODEL), { delayMs: 3_000 });
    const { wamid, reply: text } = await ask(shop, '¿cuánto vendí hoy?');

    expect(text).toContain(formatMoney(shop.todayCents));
    expect((await reply(wamid)).fallback_level).toBe('1b');
  });

  it('treats an error inside a 200 response as a provider failure, not as an empty answer', async () => {
    const shop = await openShop();
    llm.on(forShop(shop, DEFAULT_MODEL), {
      bodyError: { code: 502, message: 'Provider returned error' },
    });
    const { wamid, reply: text } = await ask(shop, '¿cuánto vendí hoy?');

    expect(text).toContain(formatMoney(shop.todayCents));
    expect((await reply(wamid)).fallback_level).toBe('1b');
  });

  it('answers level 2 with the real day total on 402 (no credits), and charges nothing', async () => {
    const shop = await openShop();
    llm.on(forShop(shop), { status: 402, message: 'Insufficient credits' });
    const before = await balance(shop.id);
    const { wamid, reply: text } = await ask(shop, '¿cuánto vendí hoy?');

    expect(text).toContain(
      `Hoy llevas ${formatMoney(shop.todayCents)} en ${shop.todayTickets} ventas`,
    );
    expect((await reply(wamid)).fallback_level).toBe('2');
    expect(callsFor(shop, FALLBACK_MODEL)).toHaveLength(0);
    expect(await balance(shop.id)).toEqual(before);
    expect(await debited(shop.id)).toBe(0);
  });

  it.each([
    [401, 'No auth credentials found'],
    [403, 'Your input was flagged'],
    [400, 'Invalid request: messages is required'],
  ])('does not retry a %s on any model and answers level 2', async (status, message) => {
    const shop = await openShop();
    llm.on(forShop(shop), { status, message });
    const { wamid, reply: text } = await ask(shop, '¿cuánto vendí hoy?');

    expect(text).toContain(formatMoney(shop.todayCents));
    expect((await reply(wamid)).fallback_level).toBe('2');
    expect(callsFor(shop)).toHaveLength(1);
  });

  it('answers the friendly error (level 3) when every model fails and the data cannot be read', async () => {
    // A timezone the database accepts but no code can use: every data query on it fails.
    const shop = await openShop({ timezone: 'Mars/Olympus' });
    llm.on(forShop(shop), { status: 503, message: 'No available providers' });
    const { wamid, reply: text } = await ask(shop, '¿cuánto vendí hoy?');

    expect(text).toBe(FRIENDLY_ERROR);
    expect((await reply(wamid)).fallback_level).toBe('3');
  });

  it('out of tokens: answers level 2 plus how to top up, without calling the LLM', async () => {
    const shop = await openShop({ tokens: false });
    const { wamid, reply: text } = await ask(shop, '¿cuánto vendí hoy?');

    expect(text).toContain(formatMoney(shop.todayCents));
    expect(text).toMatch(/recarg|paquete/i);
    expect((await reply(wamid)).fallback_level).toBe('2');
    expect(callsFor(shop)).toHaveLength(0);
  });

  it('gives a Básico shop (1,000 tokens) several full answers, then level 2 with how to top up', async () => {
    const shop = await openShop({ tokens: false });
    await sellPackage(t, shop.id, 'basico');
    const levels: string[] = [];
    let last = '';
    for (let i = 0; i < 12 && !levels.includes('2'); i++) {
      const { wamid, reply: text } = await ask(shop, i % 2 ? '¿y ayer?' : '¿cuánto vendí hoy?');
      levels.push(String((await reply(wamid)).fallback_level));
      last = text;
    }
    const full = levels.filter((l) => l === '1').length;
    expect(full).toBeGreaterThanOrEqual(4);
    expect(levels.at(-1)).toBe('2');
    expect(last).toMatch(/paquete|recarg/i);
    const [b] = (await t.db.query(
      `SELECT available, reserved, lifetime_used FROM tenant_balances WHERE tenant_id = $1`,
      [shop.id],
    )) as { available: number; reserved: number; lifetime_used: number }[];
    expect(b.reserved).toBe(0);
    expect(b.available + b.lifetime_used).toBe(1000);
  });

  it('lets a Básico shop (1,000 tokens) finish a two-round answer: round 1 gives back what it did not use', async () => {
    // The model picks the tool (no prefetch), so the question takes two rounds.
    const tools = await startApp({
      WHATSAPP_API_BASE_URL: graph.baseUrl,
      OPENROUTER_BASE_URL: llm.baseUrl,
      LLM_PREFETCH: 'false',
    });
    try {
      const shop = await openShop({ tokens: false });
      await sellPackage(t, shop.id, 'basico');
      const wamid = newWamid();
      await postWebhook(
        tools.url,
        envelope(
          {
            messages: [
              textMessage({ from: shop.ownerWaId, text: '¿cuánto vendí de coca hoy?', wamid }),
            ],
          },
          shop.phoneNumberId,
        ),
      );
      const sent = await sentReplyTo(wamid, 'the two-round answer');
      // Without the give-back, round 1 holds all 1,000 tokens and round 2 is "out of tokens".
      expect((await reply(wamid)).fallback_level).toBe('1');
      expect(sent.text).toContain(formatMoney(shop.cocaTodayCents));
      const rows = await usage(wamid);
      expect(rows.map((u) => u.seq)).toEqual([1, 2]);
      const used = rows.reduce((sum, r) => sum + Number(r.tokens_total), 0);
      expect(rows.every((r) => r.tokens_charged === r.tokens_total)).toBe(true);
      expect(await balance(shop.id)).toEqual({ available: 1000 - used, reserved: 0 });
      expect(await debited(shop.id)).toBe(used);
    } finally {
      await tools.close();
    }
  });

  it('records the tokens of a round that reached the provider before level 2 as absorbed, not charged', async () => {
    const shop = await openShop();
    const before = await balance(shop.id);
    llm.on(forShop(shop), callsCocaSales, { times: 1 });
    llm.on(forShop(shop), { status: 402, message: 'Insufficient credits' });
    const { wamid } = await ask(shop, 'dame ideas de promociones');

    expect((await reply(wamid)).fallback_level).toBe('2');
    const rows = await usage(wamid);
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].tokens_total)).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({ tokens_charged: 0, fallback_level: '2' });
    expect(await balance(shop.id)).toEqual(before);
    const report = await api<{ totals: { absorbedTokens: number; chargedTokens: number } }>(
      t,
      'GET',
      `/admin/tenants/${shop.id}/usage`,
    );
    expect(report.body.totals).toMatchObject({
      absorbedTokens: Number(rows[0].tokens_total),
      chargedTokens: 0,
    });
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/billing_absorbed_tokens_total\{reason="fallback"\} [1-9]/);
  });

  it.each([
    [
      'sube la coca a 20 pesos',
      /^Cambiar precio: Coca-Cola 600 ml de \$18\.50 a \$20\.00\. ¿Confirmas\?$/,
    ],
    ['cambia el precio del pan a 5', /No encontré «pan».*\nNo registré nada/s],
    ['llegaron 24 cocas', /^Registrar entrada \(compra\): \+24 Coca-Cola 600 ml\. ¿Confirmas\?$/],
    ['se rompieron 3 huevos', /No encontré «huevo».*No registré nada/s],
    [
      'vendí 2 cocas',
      /^Registrar venta: 2 × Coca-Cola 600 ml a \$18\.50 = \$37\.00\. ¿Confirmas\?$/,
    ],
  ])(
    'never answers a change request as a read: "%s" waits for a tap (or names what is unknown), zero tokens',
    async (q, says) => {
      const shop = await openShop();
      const before = await balance(shop.id);
      const { wamid, reply: text } = await ask(shop, q);
      expect(text).toMatch(says);
      expect((await reply(wamid)).fallback_level).toBe('direct');
      expect(callsFor(shop)).toHaveLength(0);
      expect(await usage(wamid)).toEqual([]);
      expect(await balance(shop.id)).toEqual(before);
      // Nothing written before the owner taps "Sí".
      const [row] = (await t.db.query(
        `SELECT (SELECT count(*)::int FROM sales WHERE tenant_id = $1) AS sales,
                (SELECT count(*)::int FROM price_changes WHERE tenant_id = $1) AS prices`,
        [shop.id],
      )) as { sales: number; prices: number }[];
      expect(row).toEqual({ sales: 6, prices: 0 });
    },
  );

  it.each(['ok', 'sí', 'va', 'no', '👍', '❤️'])(
    'answers the acknowledgement "%s" in one line, without the menu or the LLM',
    async (q) => {
      const shop = await openShop();
      const { wamid, reply: text } = await ask(shop, q);
      expect(text.split('\n')).toHaveLength(1);
      expect(text).not.toMatch(/Ventas:|Inventario:/);
      expect((await reply(wamid)).fallback_level).toBe('direct');
      expect(callsFor(shop)).toHaveLength(0);
    },
  );

  it('answers level 2 for a product with its own figure, and says when a product does not exist', async () => {
    const shop = await openShop();
    llm.on(forShop(shop), { status: 402, message: 'Insufficient credits' });
    const coca = await ask(shop, '¿cuánto vendí de coca hoy?');
    expect(coca.reply).toContain(
      `De Coca-Cola 600 ml hoy vendiste 4 piezas: ${formatMoney(shop.cocaTodayCents)}`,
    );
    expect(coca.reply).not.toContain(formatMoney(shop.todayCents));
    const price = await ask(shop, '¿a cómo tengo las sabritas?');
    expect(price.reply).toContain('Sabritas Original 45 g está a $19.00');
    const missing = await ask(shop, '¿cuánto vendí de pepsi hoy?');
    expect(missing.reply).toMatch(/No encontré «pepsi»/);
    expect(missing.reply).not.toContain(formatMoney(shop.todayCents));
    for (const r of [coca, price, missing]) expect((await reply(r.wamid)).fallback_level).toBe('2');
  });

  it('answers level 2 for a free-form question with the day at a glance, not the bare menu', async () => {
    const shop = await openShop();
    llm.on(forShop(shop), { status: 402, message: 'Insufficient credits' });
    const { reply: text } = await ask(shop, 'dame ideas de promociones');
    expect(text).toContain(
      `Hoy llevas ${formatMoney(shop.todayCents)} en ${shop.todayTickets} ventas`,
    );
  });

  it('labels what the rules and the learned model are unsure of with one tiny JSON call: charged, cached per text', async () => {
    // Neither the rules nor the learned model are sure of this one (0.25): an LLM decides,
    // once. (Earlier examples, "¿cuánto me costó lo que vendí hoy?" and "checame lo que deja
    // la coca", are classified by now: tuning keeps moving what is unsure.)
    const question = 'checame si deja la coca';
    const jsonCalls = () =>
      llm
        .chatRequests()
        .filter(
          (r) =>
            (r.body?.response_format as { type?: string } | undefined)?.type === 'json_object' &&
            String(r.body?.messages?.at(-1)?.content).includes(question),
        );
    const shop = await openShop();
    const first = await ask(shop, question);
    expect(jsonCalls()).toHaveLength(1);
    expect(jsonCalls()[0].body?.max_tokens).toBeLessThanOrEqual(60);
    expect((await reply(first.wamid)).fallback_level).toBe('1');
    const rows = await usage(first.wamid);
    expect(rows.map((r) => [r.operation, r.seq])).toEqual([
      ['intent', 0],
      ['chat', 1],
    ]);
    // Charged like any call, through the ledger, with the answer.
    expect(rows.every((r) => Number(r.tokens_charged) === Number(r.tokens_total))).toBe(true);
    expect(await debited(shop.id)).toBe(rows.reduce((a, r) => a + Number(r.tokens_total), 0));
    // The LLM said "ganancias" ("deja"): the coca's profit reached the model.
    const chat = callsFor(shop)[0];
    expect(systemOf(chat)).toContain('Datos (get_profit');

    // The same words from another shop: the cached label, no second call.
    const other = await openShop();
    const second = await ask(other, question);
    expect(jsonCalls()).toHaveLength(1);
    expect((await usage(second.wamid)).map((r) => r.operation)).toEqual(['chat']);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/intent_llm_classifications_total\{outcome="classified"\} 1\b/);
    expect(metrics).toMatch(/intent_llm_classifications_total\{outcome="cache_hit"\} [1-9]/);
  });

  it("sells a package from WhatsApp: the list, the owner's choice, the admin confirming it", async () => {
    const shop = await openShop({ tokens: false });
    await ask(shop, 'quiero recargar');
    const list = graph.sent.filter((s) => s.to === shop.ownerWaId).at(-1)!;
    expect(list.type).toBe('interactive');
    const interactive = list.body.interactive as {
      type: string;
      action: { sections: { rows: { id: string; title: string }[] }[] };
    };
    expect(interactive.type).toBe('list');
    const ids = interactive.action.sections.flatMap((sec) => sec.rows.map((r) => r.id));
    expect(ids).toEqual(['pkg:basico', 'pkg:estandar', 'pkg:pro', 'pkg:empresarial']);

    // The owner taps "Estándar": Meta sends it back as an interactive list_reply.
    const wamid = newWamid();
    await postWebhook(
      t.url,
      envelope(
        {
          messages: [
            {
              from: shop.ownerWaId,
              id: wamid,
              timestamp: String(Math.floor(Date.now() / 1000)),
              type: 'interactive',
              interactive: {
                type: 'list_reply',
                list_reply: { id: 'pkg:estandar', title: 'Estándar' },
              },
            },
          ],
        },
        shop.phoneNumberId,
      ),
    );
    const confirmation = await sentReplyTo(wamid, 'the confirmation');
    expect(confirmation.text).toMatch(/Estándar/);

    const pending = async () => {
      const res = await api<{ tenantId: string; packageCode: string }[]>(
        t,
        'GET',
        '/admin/purchase-requests?status=pending',
      );
      return res.body.filter((r) => r.tenantId === shop.id);
    };
    expect(await pending()).toEqual([expect.objectContaining({ packageCode: 'estandar' })]);
    const paid = await api(t, 'POST', `/admin/tenants/${shop.id}/purchases`, {
      body: { packageCode: 'estandar', paymentRef: `spei-${wamid}` },
    });
    expect(paid.status).toBe(201);
    expect(await pending()).toEqual([]);
    expect((await balance(shop.id)).available).toBe(3000);
  });

  it('sends one low-balance notice per package when the balance drops below 10 %', async () => {
    const shop = await openShop({ tokens: false });
    await sellPackage(t, shop.id, 'basico');
    // A long answer: the provider reports 920 tokens for it.
    llm.on(forShop(shop), { usage: { promptTokens: 200, completionTokens: 720 } }, { times: 1 });
    // A slow Graph API: the notice is still on its way when the next question arrives.
    graph.delayMs = 250;
    const first = await ask(shop, '¿cuánto vendí hoy?');
    const notices = async () =>
      (await t.db.query(
        `SELECT o.text FROM outbound_messages o JOIN inbound_messages i ON i.wamid = o.inbound_wamid
          WHERE i.from_wa_id = $1 AND o.purpose = 'notice'`,
        [shop.ownerWaId],
      )) as { text: string }[];
    await eventually(async () => (await notices()).length === 1, 10_000, 'the notice');
    expect((await reply(first.wamid)).fallback_level).toBe('1');
    expect((await balance(shop.id)).available).toBe(80);

    const second = await ask(shop, '¿cuánto vendí hoy?');
    expect((await reply(second.wamid)).fallback_level).toBe('2');
    expect(second.reply).toMatch(/paquete|recarg/i);
    expect(await notices()).toHaveLength(1);
  });

  it('answers greetings, help and the balance without the LLM and without charging', async () => {
    const shop = await openShop();
    const before = await balance(shop.id);
    expect((await ask(shop, 'holaaa')).reply).toMatch(/Hola/);
    expect((await ask(shop, 'ayuda')).reply).toMatch(/Ventas/);
    expect((await ask(shop, '¿cuántos tokens me quedan?')).reply).toMatch(/8,000/);
    expect(callsFor(shop)).toHaveLength(0);
    expect(await balance(shop.id)).toEqual(before);
  });

  it('answers each shop from its own data only', async () => {
    const busy = await openShop();
    const empty = await createTenant(t.db);
    await sellPackage(t, empty.id, 'basico');
    const [a, b] = await Promise.all([
      ask(busy, '¿cuánto vendí hoy?'),
      ask(empty, '¿cuánto vendí hoy?'),
    ]);
    expect(a.reply).toContain(formatMoney(busy.todayCents));
    expect(b.reply).toContain(formatMoney(0));
    expect(b.reply).not.toContain(formatMoney(busy.todayCents));
  });
});
