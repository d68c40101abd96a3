import type { Browser, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { seedDemo } from '../../database/seeds/demo';
import { startFakeGraphApi, type FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { startFakeOpenRouter, type FakeOpenRouter } from '../../dev/fakes/fake-openrouter';
import { fakesBackend } from '../../dev/simulator/fakes-backend';
import { ADMIN_TOKEN } from '../../dev/support/admin-api';
import { sellPackage } from '../../dev/support/admin';
import { eventually, startApp, type RunningApp } from '../../dev/support/app-harness';
import { newPhoneNumberId, newWaId } from '../../dev/support/webhook';
import { formatMoney } from '../../src/common/money';
import { openDb } from '../tools/store-fixtures';
import { chromiumAvailable, collectPageErrors, launchChromium, screenshot } from './chromium';

const TZ = 'America/Mexico_City';
const DEFAULT_MODEL = 'anthropic/claude-3-haiku';

/**
 * The simulator and the console in a real Chromium, against the real app (api + worker), the
 * run's PostgreSQL and Redis, and the fake Graph API and OpenRouter the demo uses. Figures the
 * pages must show are computed here with SQL.
 */
(chromiumAvailable() ? describe : describe.skip)('in a browser (Chromium)', () => {
  let graph: FakeGraphApi;
  let llm: FakeOpenRouter;
  let t: RunningApp;
  let db: DataSource;
  let browser: Browser;
  let tenantId: string;
  let ownerWaId: string;

  /** What the shop sold today (Mexico City), as the database says. */
  async function soldToday(): Promise<{ cents: number; tickets: number }> {
    const [row]: { cents: string; tickets: string }[] = await db.query(
      `SELECT coalesce(sum(total_cents), 0) AS cents, count(*) AS tickets FROM sales
        WHERE tenant_id = $1
          AND sold_at >= (date_trunc('day', now() AT TIME ZONE $2) AT TIME ZONE $2)
          AND sold_at < ((date_trunc('day', now() AT TIME ZONE $2) + interval '1 day') AT TIME ZONE $2)`,
      [tenantId, TZ],
    );
    return { cents: Number(row.cents), tickets: Number(row.tickets) };
  }

  beforeAll(async () => {
    db = await openDb();
    graph = await startFakeGraphApi();
    llm = await startFakeOpenRouter();
    // Seeded up to 21:30 today in Mexico City, so "hoy" has sales whenever the test runs.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());
    ownerWaId = newWaId();
    const phoneNumberId = newPhoneNumberId();
    const seeded = await seedDemo(db, {
      now: new Date(`${today}T21:30:00-06:00`),
      ownerWaId,
      phoneNumberId,
      employeeWaId: newWaId(),
    });
    tenantId = seeded.tenantId;
    const [employee]: { wa_id: string }[] = await db.query(
      `SELECT wa_id FROM tenant_users WHERE tenant_id = $1 AND role = 'employee'`,
      [tenantId],
    );
    const backend = fakesBackend({
      shop: {
        tenantId,
        name: 'Abarrotes Doña Lupita',
        phoneNumberId,
        displayPhoneNumber: '+52 55 1234 5678',
        people: [
          { waId: ownerWaId, name: 'Lupita', role: 'owner' },
          { waId: employee.wa_id.replace('+', ''), name: 'Beto', role: 'employee' },
        ],
      },
      graph,
      llm,
      defaultModel: DEFAULT_MODEL,
    });
    t = await startApp(
      {
        DEMO_MODE: 'true',
        WHATSAPP_API_BASE_URL: graph.baseUrl,
        OPENROUTER_BASE_URL: llm.baseUrl,
        LLM_MODEL_DEFAULT: DEFAULT_MODEL,
        LLM_BACKOFF_BASE_MS: '10',
        LLM_BACKOFF_MAX_MS: '40',
        LLM_TIMEOUT_MS: '1500',
      },
      'all',
      { demo: backend },
    );
    await sellPackage(t, tenantId, 'pro');
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await graph?.close();
    await llm?.close();
    await db?.destroy();
  });

  async function openSimulator(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const errors = collectPageErrors(page);
    await page.goto(`${t.url}/simulator/`);
    await page.getByText('Abarrotes Doña Lupita').first().waitFor();
    // The SSE stream is open once the page says which LLM answers.
    await page
      .locator('#mode-note')
      .getByText(/Sin conexión|OpenRouter/)
      .waitFor();
    return { page, errors };
  }

  async function ask(page: Page, text: string): Promise<void> {
    const before = await page.locator('[data-testid=msg-in]').count();
    await page.fill('#text', text);
    await page.press('#text', 'Enter');
    await page.locator('[data-testid=msg-in]').nth(before).waitFor({ timeout: 20_000 });
  }

  describe('simulator', () => {
    it('answers "¿cuánto vendí hoy?" with the day total from the database, ticks read', async () => {
      const { page, errors } = await openSimulator();
      const today = await soldToday();
      expect(today.cents).toBeGreaterThan(0);

      await ask(page, '¿cuánto vendí hoy?');
      const answer = page.locator('[data-testid=msg-in]').last();
      await expect(answer.innerText()).resolves.toContain(formatMoney(today.cents));
      // The app's mark-as-read reached the fake Graph API and turned the ticks blue.
      await page.locator('[data-testid=msg-out] .ticks[data-state=read]').first().waitFor();
      // The side panel: level 1 from the default model, tokens charged as the ledger says.
      const card = page.locator('[data-testid=answer-card]').last();
      await card.locator('[data-field=modelo]').getByText(DEFAULT_MODEL).waitFor();
      const wamid = await card.getAttribute('data-wamid');
      const [charged]: { n: string }[] = await db.query(
        `SELECT coalesce(sum(tokens_charged), 0) AS n FROM token_usage WHERE inbound_wamid = $1`,
        [wamid],
      );
      expect(Number(charged.n)).toBeGreaterThan(0);
      await eventually(
        async () =>
          (await card.locator('[data-field=tokens]').innerText()).startsWith(
            Number(charged.n).toLocaleString('es-MX'),
          ),
        10_000,
        'the panel to show the tokens charged',
      );
      await expect(card.getAttribute('data-level')).resolves.toBe('1');
      await expect(card.locator('[data-field=intención]').innerText()).resolves.toContain('ventas');
      // The phone reported delivered and read for the bot's reply, through the webhook.
      const [reply]: { status: string }[] = await db.query(
        `SELECT status FROM outbound_messages WHERE inbound_wamid = $1 AND purpose = 'reply'`,
        [wamid],
      );
      expect(reply).toBeDefined();
      await eventually(
        async () => {
          const [r]: { status: string }[] = await db.query(
            `SELECT status FROM outbound_messages WHERE inbound_wamid = $1 AND purpose = 'reply'`,
            [wamid],
          );
          return r.status === 'read';
        },
        10_000,
        'the reply to be read',
      );
      await screenshot(page, 'simulator-answer');
      expect(errors).toEqual([]);
      await page.close();
    });

    it('renders the packages list and taps a row: an interactive list_reply asks for the package', async () => {
      const { page, errors } = await openSimulator();
      await ask(page, 'paquetes');
      await page.locator('[data-testid=list-open]').last().click();
      const rows = page.locator('[data-testid=list-row]');
      await rows.first().waitFor();
      const [pkg]: { name: string; code: string }[] = await db.query(
        `SELECT name, code FROM token_packages WHERE active ORDER BY tokens LIMIT 1`,
      );
      await screenshot(page, 'simulator-list');
      const before = await page.locator('[data-testid=msg-in]').count();
      await rows.filter({ hasText: pkg.name }).first().click();
      await page.locator('[data-testid=msg-in]').nth(before).waitFor({ timeout: 20_000 });
      await expect(page.locator('[data-testid=msg-in]').last().innerText()).resolves.toContain(
        `pedimos tu paquete ${pkg.name}`,
      );
      const requests: { package_code: string; status: string }[] = await db.query(
        `SELECT package_code, status FROM purchase_requests WHERE tenant_id = $1`,
        [tenantId],
      );
      expect(requests).toContainEqual({ package_code: pkg.code, status: 'pending' });
      expect(errors).toEqual([]);
      await page.close();
    });

    it('with the LLM switched to 402 answers level 2 with the real total, and charges nothing', async () => {
      const { page, errors } = await openSimulator();
      await page.locator('input[name=llm][value=payment_required]').check();
      await eventually(
        async () =>
          ((await (await fetch(`${t.url}/demo/info`)).json()) as { llmFailure: string })
            .llmFailure === 'payment_required',
        5_000,
        'the failure switch',
      );
      try {
        const today = await soldToday();
        await ask(page, '¿cuánto vendí hoy?');
        await expect(page.locator('[data-testid=msg-in]').last().innerText()).resolves.toContain(
          formatMoney(today.cents),
        );
        const card = page.locator('[data-testid=answer-card]').last();
        await eventually(
          async () => (await card.getAttribute('data-level')) === '2',
          10_000,
          'level 2',
        );
        await expect(card.locator('[data-field=nivel]').innerText()).resolves.toContain('nivel 2');
        await expect(card.locator('[data-field=tokens]').innerText()).resolves.toMatch(
          /^0 cobrados/,
        );
        await screenshot(page, 'simulator-level-2');
      } finally {
        await fetch(`${t.url}/demo/llm-failure`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ mode: 'none' }),
        });
      }
      expect(errors).toEqual([]);
      await page.close();
    });

    it('writes as the employee when switched', async () => {
      const { page } = await openSimulator();
      await page.locator('input[name=sender][value=employee]').check();
      await ask(page, '¿cuánto vendí hoy?');
      const wamid = await page.locator('[data-testid=msg-out]').last().getAttribute('data-wamid');
      const [row]: { from_wa_id: string }[] = await db.query(
        `SELECT from_wa_id FROM inbound_messages WHERE wamid = $1`,
        [wamid],
      );
      const [employee]: { wa_id: string }[] = await db.query(
        `SELECT wa_id FROM tenant_users WHERE tenant_id = $1 AND role = 'employee'`,
        [tenantId],
      );
      expect(`+${row.from_wa_id}`).toBe(employee.wa_id);
      await page.close();
    });
  });

  describe('simulator: a sale confirmed with its button', () => {
    interface Product {
      id: string;
      stock: number;
      price_cents: number;
    }

    it('"vendí 2 cocas" shows [Sí]/[No]; tapping [Sí] records the sale and its movement, stock down by exactly 2', async () => {
      const { page, errors } = await openSimulator();
      // "coca" is an alias of the demo seed's Coca-Cola 600 ml (database/seeds/demo-catalogue.ts).
      const [coca]: Product[] = await db.query(
        `SELECT id, stock, price_cents FROM products WHERE tenant_id = $1 AND name = 'Coca-Cola 600 ml'`,
        [tenantId],
      );
      expect(coca.stock).toBeGreaterThanOrEqual(2);
      const salesBefore: { id: string }[] = await db.query(
        `SELECT id FROM sales WHERE tenant_id = $1`,
        [tenantId],
      );
      const [moves]: { last: string | null }[] = await db.query(
        `SELECT max(id) AS last FROM inventory_movements WHERE tenant_id = $1`,
        [tenantId],
      );
      const lastMove = moves.last ?? '0';

      await ask(page, 'vendí 2 cocas');
      const question = page.locator('[data-testid=msg-in]').last();
      await expect(question.innerText()).resolves.toContain(
        `Registrar venta: 2 × Coca-Cola 600 ml a ${formatMoney(coca.price_cents)} = ${formatMoney(2 * coca.price_cents)}`,
      );
      const yes = question.locator('[data-testid=reply-button]', { hasText: /^Sí$/ });
      await yes.waitFor();
      await question.locator('[data-testid=reply-button]', { hasText: /^No$/ }).waitFor();
      // Asking wrote nothing: the books change only on the tap.
      const [unchanged]: { stock: number }[] = await db.query(
        `SELECT stock FROM products WHERE id = $1`,
        [coca.id],
      );
      expect(unchanged.stock).toBe(coca.stock);
      await screenshot(page, 'simulator-sale-confirm');

      const before = await page.locator('[data-testid=msg-in]').count();
      await yes.click();
      await page.locator('[data-testid=msg-in]').nth(before).waitFor({ timeout: 20_000 });
      // The tap went back as a button_reply in reply to the bot's message.
      const tapWamid = await page
        .locator('[data-testid=msg-out]')
        .last()
        .getAttribute('data-wamid');
      const [tap]: { type: string }[] = await db.query(
        `SELECT type FROM inbound_messages WHERE wamid = $1`,
        [tapWamid],
      );
      expect(tap.type).toBe('interactive');

      const [after]: { stock: number }[] = await db.query(
        `SELECT stock FROM products WHERE id = $1`,
        [coca.id],
      );
      expect(after.stock).toBe(coca.stock - 2);
      const known = new Set(salesBefore.map((r) => r.id));
      const newSales = (
        (await db.query(
          `SELECT id, total_cents, item_count, source FROM sales WHERE tenant_id = $1`,
          [tenantId],
        )) as { id: string; total_cents: number; item_count: number; source: string }[]
      ).filter((r) => !known.has(r.id));
      expect(newSales).toHaveLength(1);
      expect(newSales[0]).toMatchObject({
        total_cents: 2 * coca.price_cents,
        item_count: 2,
        source: 'whatsapp',
      });
      const items: Record<string, unknown>[] = await db.query(
        `SELECT product_id, quantity, unit_price_cents, subtotal_cents FROM sale_items WHERE sale_id = $1`,
        [newSales[0].id],
      );
      expect(items).toEqual([
        {
          product_id: coca.id,
          quantity: 2,
          unit_price_cents: coca.price_cents,
          subtotal_cents: 2 * coca.price_cents,
        },
      ]);
      const newMoves: Record<string, unknown>[] = await db.query(
        `SELECT product_id, quantity_delta, reason FROM inventory_movements
          WHERE tenant_id = $1 AND id > $2 ORDER BY id`,
        [tenantId, lastMove],
      );
      expect(newMoves).toEqual([{ product_id: coca.id, quantity_delta: -2, reason: 'sale' }]);

      const answer = await page.locator('[data-testid=msg-in]').nth(before).innerText();
      expect(answer).toContain('Venta registrada');
      expect(answer).toContain(`Coca-Cola 600 ml: ${after.stock}`);
      await screenshot(page, 'simulator-sale-done');
      expect(errors).toEqual([]);
      await page.close();
    });
  });

  describe('console', () => {
    async function signIn(page: Page, token: string): Promise<void> {
      await page.goto(`${t.url}/console/`);
      await page.fill('#token', token);
      await page.click('#login-form button[type=submit]');
    }

    it('refuses a wrong token, and never puts the token in the URL', async () => {
      const page = await browser.newPage();
      await signIn(page, 'not-the-admin-token-at-all');
      await page.getByText('Token incorrecto.').waitFor();
      await expect(page.locator('#app').isHidden()).resolves.toBe(true);
      expect(page.url()).not.toContain('not-the-admin-token');
      await screenshot(page, 'console-refused');
      await page.close();
    });

    it('creates a shop and sells it a package twice with one payment reference: one credit', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors = collectPageErrors(page);
      await signIn(page, ADMIN_TOKEN);
      await page.locator('#create-shop').waitFor();
      const name = `Miscelánea ${Date.now().toString(36)}`;
      await page.fill('#create-shop input[name=name]', name);
      await page.fill(
        '#create-shop input[name=ownerWaId]',
        `+52 55 ${String(Date.now()).slice(-8)}`,
      );
      await page.click('#create-shop button[type=submit]');
      await page.locator('[data-testid=shop-name]').getByText(name).waitFor();
      const [shop]: { id: string }[] = await db.query(`SELECT id FROM tenants WHERE name = $1`, [
        name,
      ]);
      expect(page.url()).toContain(`#/shop/${shop.id}`);
      expect(page.url()).not.toContain(ADMIN_TOKEN);

      const [pkg]: { code: string; tokens: number }[] = await db.query(
        `SELECT code, tokens FROM token_packages WHERE code = 'pro'`,
      );
      const ref = `SPEI-${Date.now()}`;
      for (const attempt of [1, 2]) {
        await page.selectOption('#sell select[name=packageCode]', pkg.code);
        await page.fill('#sell input[name=paymentRef]', ref);
        await page.click('#sell button[type=submit]');
        await page
          .locator('[data-testid=sell-result]')
          .getByText(attempt === 1 ? /^Acreditado/ : /ya estaba acreditado/)
          .waitFor();
      }
      const [credits]: { n: string }[] = await db.query(
        `SELECT count(*) AS n FROM token_ledger WHERE tenant_id = $1 AND entry_type = 'credit'`,
        [shop.id],
      );
      expect(Number(credits.n)).toBe(1);
      const [balance]: { available: number }[] = await db.query(
        `SELECT available FROM tenant_balances WHERE tenant_id = $1`,
        [shop.id],
      );
      expect(balance.available).toBe(pkg.tokens);
      await eventually(
        async () =>
          (await page.locator('[data-testid=balance-available]').innerText()) ===
          pkg.tokens.toLocaleString('es-MX'),
        5_000,
        'the balance shown',
      );
      await screenshot(page, 'console-shop-sold');
      expect(errors).toEqual([]);
      await page.close();
    });

    it("turns a shop's daily close on at a chosen time from the console", async () => {
      const [shop]: { id: string }[] = await db.query(
        `INSERT INTO tenants (name) VALUES ($1) RETURNING id`,
        [`Cierre ${Date.now().toString(36)}`],
      );
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors = collectPageErrors(page);
      await signIn(page, ADMIN_TOKEN);
      await page.goto(`${t.url}/console/#/shop/${shop.id}`);
      const form = page.locator('#shop-settings form');
      await form.waitFor();
      await expect(form.locator('input[name=dailyCloseEnabled]').isChecked()).resolves.toBe(false);
      await expect(form.locator('input[name=dailyCloseTime]').inputValue()).resolves.toBe('21:00');
      await form.locator('input[name=dailyCloseEnabled]').check();
      await form.locator('input[name=dailyCloseTime]').fill('22:30');
      await form.locator('button[type=submit]').click();
      await page.locator('[data-testid=settings-result]').getByText('Guardado.').waitFor();
      const [row]: { enabled: boolean; at: string }[] = await db.query(
        `SELECT daily_close_enabled AS enabled, to_char(daily_close_time, 'HH24:MI') AS at
           FROM tenant_settings WHERE tenant_id = $1`,
        [shop.id],
      );
      expect(row).toEqual({ enabled: true, at: '22:30' });
      expect(errors).toEqual([]);
      await page.close();
    });

    it("shows the demo shop's balance and usage chart after questions in the simulator", async () => {
      // The simulator tests above asked questions; the charged tokens are in token_usage.
      const [used]: { charged: string }[] = await db.query(
        `SELECT coalesce(sum(tokens_charged), 0) AS charged FROM token_usage WHERE tenant_id = $1`,
        [tenantId],
      );
      expect(Number(used.charged)).toBeGreaterThan(0);
      const [balance]: { available: number }[] = await db.query(
        `SELECT available FROM tenant_balances WHERE tenant_id = $1`,
        [tenantId],
      );
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors = collectPageErrors(page);
      await signIn(page, ADMIN_TOKEN);
      await page.locator('#create-shop').waitFor();
      await page.click(`a[href="#/shop/${tenantId}"]`);
      const chart = page.locator('[data-testid=usage-chart]');
      await chart.locator('canvas').waitFor();
      await expect(chart.getAttribute('data-charged')).resolves.toBe(String(used.charged));
      await expect(page.locator('[data-testid=balance-available]').innerText()).resolves.toBe(
        balance.available.toLocaleString('es-MX'),
      );
      // Cost per conversation, as the admin API reports it (its figures are checked against a
      // hand count in test/billing/conversation-costs.e2e.spec.ts).
      const conv = await adminApi<{
        conversations: number;
        answersPerConversation: number;
        tokensPerConversation: { mean: number; p95: number };
      }>('GET', `/admin/tenants/${tenantId}/usage/conversations`);
      expect(conv.conversations).toBeGreaterThan(0);
      await expect(page.locator('[data-testid=conv-count]').innerText()).resolves.toBe(
        conv.conversations.toLocaleString('es-MX'),
      );
      await expect(page.locator('[data-testid=conv-answers]').innerText()).resolves.toBe(
        String(conv.answersPerConversation),
      );
      await expect(page.locator('[data-testid=conv-tokens]').innerText()).resolves.toBe(
        `${conv.tokensPerConversation.mean.toLocaleString('es-MX')} / ${conv.tokensPerConversation.p95.toLocaleString('es-MX')}`,
      );
      await page.locator('[data-testid=ledger-row]').first().waitFor();
      await screenshot(page, 'console-usage');
      expect(errors).toEqual([]);
      await page.close();
    });

    async function adminApi<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${t.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(res.ok).toBe(true);
      return (await res.json()) as T;
    }

    it('imports a CSV catalogue chosen as a file: created and updated as the database counts them', async () => {
      const suffix = Date.now().toString(36);
      const shop = await adminApi<{ id: string }>('POST', '/admin/tenants', {
        name: `Tiendita CSV ${suffix}`,
        ownerWaId: `+52 55 ${String(Date.now()).slice(-8)}`,
      });
      const names = async (): Promise<string[]> =>
        (
          (await db.query(`SELECT name FROM products WHERE tenant_id = $1`, [shop.id])) as {
            name: string;
          }[]
        ).map((r) => r.name.toLowerCase());

      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors = collectPageErrors(page);
      await signIn(page, ADMIN_TOKEN);
      await page.locator('#create-shop').waitFor();
      await page.goto(`${t.url}/console/#/shop/${shop.id}`);
      const form = page.locator('form', { has: page.locator('input[name=csv]') });
      const result = page.locator('[data-testid=import-result]');

      const imports = [
        'nombre,precio,costo,existencias,minimo,unidad,alias\n' +
          'Galletas Marías 170 g,16.50,11,30,6,pza,marías|galletas\n' +
          '"Frijoles La Costeña 560 g","$1,034.50",900,4,2,pza,\n' +
          'Jabón Zote 400 g,24,17,12,3,pza,zote\n',
        // The second file updates one by its name (any case) and adds one.
        'nombre,precio,costo,existencias\n' +
          'galletas marías 170 g,17,11.50,28\n' +
          'Atún Dolores 140 g,26,19,20\n',
      ];
      for (const [i, csv] of imports.entries()) {
        const before = new Set(await names());
        const rows = csv
          .trim()
          .split('\n')
          .slice(1)
          .map((line) =>
            line
              .replace(/^"([^"]*)".*$/, '$1')
              .split(',')[0]
              .toLowerCase(),
          );
        const created = rows.filter((n) => !before.has(n)).length;
        await form.locator('input[name=csv]').setInputFiles({
          name: `catalogo-${i + 1}.csv`,
          mimeType: 'text/csv',
          buffer: Buffer.from(csv, 'utf8'),
        });
        await form.locator('button[type=submit]').click();
        await result
          .getByText(`${created} productos nuevos, ${rows.length - created} actualizados.`)
          .waitFor();
        expect((await names()).length).toBe(before.size + created);
      }
      const products: Record<string, unknown>[] = await db.query(
        `SELECT name, price_cents, cost_cents, stock FROM products WHERE tenant_id = $1 ORDER BY lower(name)`,
        [shop.id],
      );
      expect(products).toEqual([
        { name: 'Atún Dolores 140 g', price_cents: 2600, cost_cents: 1900, stock: 20 },
        { name: 'Frijoles La Costeña 560 g', price_cents: 103450, cost_cents: 90000, stock: 4 },
        // Matched whatever the case; the name takes the file's spelling.
        { name: 'galletas marías 170 g', price_cents: 1700, cost_cents: 1150, stock: 28 },
        { name: 'Jabón Zote 400 g', price_cents: 2400, cost_cents: 1700, stock: 12 },
      ]);
      await screenshot(page, 'console-csv-import');
      expect(errors).toEqual([]);
      await page.close();
    });

    it('confirms a purchase request made in the simulator: one credit, balance up by the package', async () => {
      // The owner asks in the simulator: the packages list, the priciest row tapped.
      const [pkg]: { code: string; name: string; tokens: number }[] = await db.query(
        `SELECT code, name, tokens FROM token_packages WHERE active ORDER BY tokens DESC LIMIT 1`,
      );
      const sim = await openSimulator();
      await ask(sim.page, 'paquetes');
      await sim.page.locator('[data-testid=list-open]').last().click();
      const before = await sim.page.locator('[data-testid=msg-in]').count();
      await sim.page
        .locator('[data-testid=list-row]')
        .filter({ hasText: pkg.name })
        .first()
        .click();
      await sim.page.locator('[data-testid=msg-in]').nth(before).waitFor({ timeout: 20_000 });
      await sim.page.close();
      const [request]: { id: string }[] = await eventually(
        async () => {
          const rows: { id: string }[] = await db.query(
            `SELECT id FROM purchase_requests WHERE tenant_id = $1 AND package_code = $2 AND status = 'pending'`,
            [tenantId, pkg.code],
          );
          return rows.length === 1 ? rows : null;
        },
        10_000,
        'the pending purchase request',
      );
      const [was]: { available: number }[] = await db.query(
        `SELECT available FROM tenant_balances WHERE tenant_id = $1`,
        [tenantId],
      );

      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const errors = collectPageErrors(page);
      await signIn(page, ADMIN_TOKEN);
      await page.locator('#create-shop').waitFor();
      await page.click('a[href="#/requests"]');
      const row = page
        .locator('[data-testid=request-row]')
        .filter({ hasText: 'Abarrotes Doña Lupita' })
        .filter({ hasText: pkg.name });
      await row.first().waitFor();
      await expect(row.count()).resolves.toBe(1);
      const ref = `SPEI-REQ-${Date.now()}`;
      await row.locator('input').fill(ref);
      await row.locator('[data-testid=confirm-request]').click();
      const [now]: { available: number }[] = await eventually(
        async () => {
          const rows: { available: number }[] = await db.query(
            `SELECT available FROM tenant_balances WHERE tenant_id = $1`,
            [tenantId],
          );
          return rows[0].available !== was.available ? rows : null;
        },
        10_000,
        'the credit',
      );
      expect(now.available).toBe(was.available + pkg.tokens);
      await row
        .getByText(`Confirmado. Balance: ${now.available.toLocaleString('es-MX')} tokens.`)
        .waitFor();
      await expect(row.locator('[data-testid=confirm-request]').isDisabled()).resolves.toBe(true);
      const [confirmed]: { status: string; purchase_id: string | null }[] = await db.query(
        `SELECT status, purchase_id FROM purchase_requests WHERE id = $1`,
        [request.id],
      );
      expect(confirmed.status).toBe('confirmed');
      const credits: { n: string }[] = await db.query(
        `SELECT count(*) AS n FROM token_ledger
          WHERE tenant_id = $1 AND entry_type = 'credit' AND purchase_id = $2`,
        [tenantId, confirmed.purchase_id],
      );
      expect(Number(credits[0].n)).toBe(1);
      await screenshot(page, 'console-purchase-request');
      expect(errors).toEqual([]);
      await page.close();
    });

    it('replays a failed message: the answer goes out the second time', async () => {
      // Meta refuses for good (131026) the next two POST /messages: the read receipt (its
      // failure is ignored) and the reply, so the message fails at once.
      graph.failNext({ status: 400, code: 131026, message: 'Receiver is incapable' }, 2);
      const sent = (await (
        await fetch(`${t.url}/demo/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            sender: 'owner',
            message: { type: 'text', text: { body: '¿cuánto vendí ayer?' } },
          }),
        })
      ).json()) as { wamid: string; webhookStatus: number };
      expect(sent.webhookStatus).toBe(200);
      const status = async (): Promise<string> => {
        const [row]: { status: string }[] = await db.query(
          `SELECT status FROM inbound_messages WHERE wamid = $1`,
          [sent.wamid],
        );
        return row?.status ?? 'missing';
      };
      await eventually(async () => (await status()) === 'failed', 20_000, 'the message to fail');

      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const errors = collectPageErrors(page);
      await signIn(page, ADMIN_TOKEN);
      await page.locator('#create-shop').waitFor();
      await page.click('a[href="#/failed"]');
      const row = page
        .locator('[data-testid=failed-row]')
        .filter({ hasText: '¿cuánto vendí ayer?' });
      await row.first().waitFor();
      await expect(row.count()).resolves.toBe(1);
      await expect(row.innerText()).resolves.toContain('undeliverable');
      await screenshot(page, 'console-failed');
      await row.getByRole('button', { name: 'Reintentar' }).click();
      await row.getByText('En cola otra vez.').waitFor();
      await eventually(async () => (await status()) === 'processed', 20_000, 'the replayed answer');
      const [reply]: { wamid: string | null }[] = await db.query(
        `SELECT wamid FROM outbound_messages WHERE inbound_wamid = $1 AND purpose = 'reply'`,
        [sent.wamid],
      );
      expect(reply.wamid).toMatch(/^wamid\./);
      expect(graph.sent.some((m) => m.wamid === reply.wamid)).toBe(true);
      // Gone from the list once answered (the token lives in the page: navigate, not reload).
      await page.click('a[href="#/shops"]');
      await page.locator('#create-shop').waitFor();
      await page.click('a[href="#/failed"]');
      await page.locator('#view h2').getByText('Mensajes que fallaron').waitFor();
      await expect(
        page.locator('[data-testid=failed-row]').filter({ hasText: '¿cuánto vendí ayer?' }).count(),
      ).resolves.toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    });
  });
});
