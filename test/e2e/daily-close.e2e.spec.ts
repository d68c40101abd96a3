import {
  startFakeGraphApi,
  type FakeGraphApi,
  type SentMessage,
} from '../../dev/fakes/fake-graph-api';
import { startFakeOpenRouter, type FakeOpenRouter } from '../../dev/fakes/fake-openrouter';
import { sellPackage } from '../../dev/support/admin';
import { api } from '../../dev/support/admin-api';
import { eventually, startApp, type RunningApp } from '../../dev/support/app-harness';
import { createTenant, type TestTenant } from '../../dev/support/tenants';
import { envelope, newWamid, postWebhook, textMessage } from '../../dev/support/webhook';
import { formatInt, formatMoney } from '../../src/common/money';
import { DailyCloseScheduler } from '../../src/daily-close/daily-close.scheduler';
import { DailyCloseService } from '../../src/daily-close/daily-close.service';
import { addProduct, insertSale } from '../support/store';

const TZ = 'America/Mexico_City';
const TEMPLATE = 'cierre_del_dia_v2';

/**
 * The daily close end to end, with one API process and TWO worker processes on the same
 * queue prefix (both run the scheduler and take jobs): the owner opts in by writing
 * "cierre diario", the close goes out exactly once per shop and day (fake Graph receipts),
 * as free-form text inside Meta's 24-hour window and as the approved template outside it
 * (or after a 131047), with figures that match SQL over the shop's rows, and no LLM call.
 */
describe('daily close (e2e: two workers, BullMQ scheduler, fake Graph)', () => {
  let graph: FakeGraphApi;
  let llm: FakeOpenRouter;
  let apiApp: RunningApp;
  let workers: RunningApp[];

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    llm = await startFakeOpenRouter();
    const env = {
      WHATSAPP_API_BASE_URL: graph.baseUrl,
      OPENROUTER_BASE_URL: llm.baseUrl,
      QUEUE_PREFIX: `test_close_${process.pid}_${Date.now()}`,
      DAILY_CLOSE_SCAN_INTERVAL_MS: '300',
      DAILY_CLOSE_TEMPLATE_NAME: TEMPLATE,
      DAILY_CLOSE_TEMPLATE_LANGUAGE: 'es_MX',
    };
    apiApp = await startApp(env, 'api');
    workers = [await startApp(env, 'worker'), await startApp(env, 'worker')];
  });
  afterAll(async () => {
    for (const w of workers ?? []) await w.close();
    await apiApp?.close();
    await graph?.close();
    await llm?.close();
  });

  const db = () => apiApp.db;

  /** A shop with sales today (and one yesterday that must not count) and two products to reorder. */
  async function openShop(): Promise<TestTenant> {
    const shop = await createTenant(db());
    await sellPackage(apiApp, shop.id, 'estandar');
    const coca = await addProduct(db(), shop.id, {
      name: 'Coca-Cola 600 ml',
      aliases: ['coca'],
      priceCents: 1850,
      costCents: 1300,
      stock: 40,
      minStock: 5,
    });
    const chips = await addProduct(db(), shop.id, {
      name: 'Sabritas Original 45 g',
      priceCents: 2100,
      costCents: 1500,
      stock: 2,
      minStock: 6,
    });
    const soup = await addProduct(db(), shop.id, {
      name: 'Maruchan Camarón',
      priceCents: 1600,
      costCents: 1000,
      stock: 0,
      minStock: 5,
    });
    const bread = await addProduct(db(), shop.id, {
      name: 'Pan Bimbo Blanco',
      priceCents: 4500,
      costCents: 3600,
      stock: 9,
      minStock: 2,
    });
    const [{ start }] = (await db().query(
      `SELECT (date_trunc('day', now() AT TIME ZONE $1) AT TIME ZONE $1) AS start`,
      [TZ],
    )) as { start: Date }[];
    // Today, local: never before local midnight, never in the future.
    const today = (minutesAgo: number) =>
      new Date(Math.max(Date.now() - minutesAgo * 60_000, start.getTime() + 1_000));
    const line = (p: typeof coca, quantity: number) => ({
      productId: p.id,
      quantity,
      priceCents: p.priceCents,
      costCents: p.costCents,
    });
    await insertSale(db(), shop.id, today(30), [line(coca, 5), line(chips, 2)]);
    await insertSale(db(), shop.id, today(20), [line(soup, 3), line(bread, 1)]);
    await insertSale(db(), shop.id, today(10), [line(coca, 2)]);
    await insertSale(db(), shop.id, new Date(start.getTime() - 3_600_000), [line(bread, 9)]);
    return shop;
  }

  /** The day's figures, computed here in SQL over the shop's own rows. */
  async function expectedFigures(shop: TestTenant) {
    const day = `date_trunc('day', now() AT TIME ZONE $2) AT TIME ZONE $2`;
    const inDay = `s.sold_at >= ${day} AND s.sold_at < ${day} + interval '1 day'`;
    const [totals] = (await db().query(
      `SELECT coalesce(sum(s.total_cents), 0)::int AS total, count(*)::int AS tickets,
              coalesce(sum(s.total_cents - s.cost_cents), 0)::int AS profit
         FROM sales s WHERE s.tenant_id = $1 AND ${inDay}`,
      [shop.id, TZ],
    )) as { total: number; tickets: number; profit: number }[];
    const top = (await db().query(
      `SELECT p.name, sum(i.quantity)::int AS units FROM sale_items i
         JOIN sales s ON s.id = i.sale_id JOIN products p ON p.id = i.product_id
        WHERE s.tenant_id = $1 AND ${inDay} GROUP BY p.name ORDER BY units DESC LIMIT 3`,
      [shop.id, TZ],
    )) as { name: string; units: number }[];
    const low = (await db().query(
      `SELECT name, stock FROM products WHERE tenant_id = $1 AND stock <= min_stock ORDER BY stock - min_stock`,
      [shop.id],
    )) as { name: string; stock: number }[];
    const [{ available }] = (await db().query(
      `SELECT available FROM tenant_balances WHERE tenant_id = $1`,
      [shop.id],
    )) as { available: number }[];
    const dayLabel = new Intl.DateTimeFormat('es-MX', {
      day: 'numeric',
      month: 'long',
      timeZone: TZ,
    }).format(new Date());
    const topLine = top.map((p) => `${p.name} (${p.units})`).join(', ');
    const reorderLine = low.map((p) => `${p.name} (quedan ${p.stock})`).join(', ');
    return { ...totals, dayLabel, topLine, reorderLine, available };
  }

  async function say(shop: TestTenant, text: string): Promise<SentMessage> {
    const wamid = newWamid();
    const res = await postWebhook(
      apiApp.url,
      envelope(
        { messages: [textMessage({ from: shop.ownerWaId, text, wamid })] },
        shop.phoneNumberId,
      ),
    );
    expect(res.status).toBe(200);
    return eventually(
      async () => {
        const [row] = (await db().query(
          `SELECT wamid FROM outbound_messages WHERE inbound_wamid = $1 AND purpose = 'reply' AND wamid IS NOT NULL`,
          [wamid],
        )) as { wamid: string }[];
        return row && graph.sent.find((s) => s.wamid === row.wamid);
      },
      15_000,
      `a reply to "${text}"`,
    );
  }

  const closesTo = (shop: TestTenant) =>
    graph.sent
      .filter((m) => m.to === shop.ownerWaId || `+${m.to}` === shop.ownerPhone)
      .filter((m) => m.type === 'template' || m.text.includes('Cierre del día'));
  const closeRows = async (shop: TestTenant) =>
    (await db().query(`SELECT status, kind, wamid FROM daily_closes WHERE tenant_id = $1`, [
      shop.id,
    ])) as {
      status: string;
      kind: string;
      wamid: string;
    }[];

  /** Scans and sends on both workers at once, several times: none of it may send again. */
  async function raceBothWorkers(shop: TestTenant, day: string): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await Promise.all(
        workers.flatMap((w) => [
          w.app.get(DailyCloseScheduler).scan(new Date()),
          w.app.get(DailyCloseService).sendFor(shop.id, day),
        ]),
      );
    }
  }

  const localDay = () => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());

  it('"cierre diario" opts in; the close goes out once across two workers, as text inside the window, numbers as in SQL', async () => {
    const shop = await openShop();
    const on = await say(shop, 'cierre diario');
    expect(on.text).toContain('a las 21:00');
    const [settings] = (await db().query(
      `SELECT daily_close_enabled, to_char(daily_close_time, 'HH24:MI') AS at FROM tenant_settings WHERE tenant_id = $1`,
      [shop.id],
    )) as { daily_close_enabled: boolean; at: string }[];
    expect(settings).toEqual({ daily_close_enabled: true, at: '21:00' });
    // Due now: a close time that has always passed today.
    const put = await api(apiApp, 'PUT', `/admin/tenants/${shop.id}/settings`, {
      body: { dailyCloseTime: '00:00' },
    });
    expect(put.status).toBe(200);

    const [close] = await eventually(
      async () => {
        const sent = closesTo(shop);
        return sent.length > 0 && sent;
      },
      15_000,
      'the daily close',
    );
    expect(close.type).toBe('text');
    const f = await expectedFigures(shop);
    expect(f).toMatchObject({ tickets: 3, total: 7 * 1850 + 2 * 2100 + 3 * 1600 + 4500 });
    expect(close.text).toContain(`Ventas: ${formatMoney(f.total)} en ${f.tickets} tickets`);
    expect(close.text).toContain(`Ganancia: ${formatMoney(f.profit)}`);
    expect(close.text).toContain(`Lo más vendido: ${f.topLine}`);
    expect(f.topLine).toBe(
      'Coca-Cola 600 ml (7), Maruchan Camarón (3), Sabritas Original 45 g (2)',
    );
    expect(close.text).toContain(`Por surtir: ${f.reorderLine}`);
    expect(close.text).toContain(`Te quedan ${formatInt(f.available)} tokens.`);
    expect(close.text).toContain(`(${f.dayLabel})`);

    await raceBothWorkers(shop, localDay());
    expect(closesTo(shop)).toHaveLength(1);
    expect(await closeRows(shop)).toEqual([{ status: 'sent', kind: 'text', wamid: close.wamid }]);
    // Zero LLM tokens: no call about this shop, no usage row.
    expect(llm.chatRequests().filter((r) => JSON.stringify(r.body).includes(shop.name))).toEqual(
      [],
    );
    const [{ n }] = (await db().query(
      `SELECT count(*)::int AS n FROM token_usage WHERE tenant_id = $1`,
      [shop.id],
    )) as { n: number }[];
    expect(n).toBe(0);

    const off = await say(shop, 'quitar cierre diario');
    expect(off.text).toContain('ya no te mando el cierre del día');
    const [after] = (await db().query(
      `SELECT daily_close_enabled FROM tenant_settings WHERE tenant_id = $1`,
      [shop.id],
    )) as { daily_close_enabled: boolean }[];
    expect(after.daily_close_enabled).toBe(false);
  });

  it('outside the 24-hour window it is the approved template, with the figures as its parameters', async () => {
    const shop = await openShop();
    // Enabled from the console: the owner has not written in the last day.
    const put = await api(apiApp, 'PUT', `/admin/tenants/${shop.id}/settings`, {
      body: { dailyCloseEnabled: true, dailyCloseTime: '00:00' },
    });
    expect(put.status).toBe(200);
    const [close] = await eventually(
      async () => {
        const sent = closesTo(shop);
        return sent.length > 0 && sent;
      },
      15_000,
      'the daily close',
    );
    expect(close.type).toBe('template');
    const f = await expectedFigures(shop);
    expect(close.body.template).toEqual({
      name: TEMPLATE,
      language: { code: 'es_MX' },
      components: [
        {
          type: 'body',
          parameters: [
            f.dayLabel,
            formatMoney(f.total),
            String(f.tickets),
            formatMoney(f.profit),
            f.topLine,
            f.reorderLine,
            formatInt(f.available),
          ].map((text) => ({ type: 'text', text })),
        },
      ],
    });
    await raceBothWorkers(shop, localDay());
    expect(closesTo(shop)).toHaveLength(1);
    expect(await closeRows(shop)).toEqual([
      { status: 'sent', kind: 'template', wamid: close.wamid },
    ]);
  });

  it('a 131047 on the free-form send falls back to the template instead of failing', async () => {
    const shop = await openShop();
    await say(shop, 'hola');
    graph.failNext({ status: 400, code: 131047, message: '(#131047) Re-engagement message' });
    await api(apiApp, 'PUT', `/admin/tenants/${shop.id}/settings`, {
      body: { dailyCloseEnabled: true, dailyCloseTime: '00:00' },
    });
    const [close] = await eventually(
      async () => {
        const sent = closesTo(shop);
        return sent.length > 0 && sent;
      },
      15_000,
      'the daily close',
    );
    expect(close.type).toBe('template');
    expect(close.body.template).toMatchObject({ name: TEMPLATE });
    expect(await closeRows(shop)).toEqual([
      { status: 'sent', kind: 'template', wamid: close.wamid },
    ]);
    expect(closesTo(shop)).toHaveLength(1);
  });

  it('a shop whose close time has not come yet gets nothing', async () => {
    const shop = await openShop();
    await api(apiApp, 'PUT', `/admin/tenants/${shop.id}/settings`, {
      body: { dailyCloseEnabled: true, dailyCloseTime: '23:59' },
    });
    const now = new Intl.DateTimeFormat('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: TZ,
    }).format(new Date());
    if (now >= '23:58') return; // the one minute of the day when 23:59 has (almost) come
    const due = await workers[0].app.get(DailyCloseService).dueShops(new Date());
    expect(due.map((d) => d.tenantId)).not.toContain(shop.id);
    expect(await workers[0].app.get(DailyCloseScheduler).scan(new Date())).toBeGreaterThanOrEqual(
      0,
    );
    expect(await closeRows(shop)).toEqual([]);
  });
});
