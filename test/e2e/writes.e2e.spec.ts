import { randomBytes } from 'node:crypto';
import type { SentMessage } from '../../dev/fakes/fake-graph-api';
import type { RecordedRequest } from '../../dev/fakes/fake-openrouter';
import { api } from '../../dev/support/admin-api';
import { sellPackage } from '../../dev/support/admin';
import { eventually } from '../../dev/support/app-harness';
import { useAppWithFakes } from '../../dev/support/app-with-fakes';
import { createTenant, type TestTenant } from '../../dev/support/tenants';
import { envelope, newWaId, newWamid, postWebhook, textMessage } from '../../dev/support/webhook';
import { ActionsService } from '../../src/store/actions';
import { normalizeWaId } from '../../src/tenants/phone-number';
import { addProduct, type TestProduct } from '../support/store';
import { speak } from '../transcription/support/voice-notes';

/**
 * Writes from WhatsApp end to end: a signed webhook in, the worker, a pending action with its
 * buttons at the fake Graph API, the tap back in, and the shop's books in PostgreSQL checked
 * with SQL of the test's own. Each test has its own shop.
 */
describe('writes (e2e: change request → pending action → tap → books)', () => {
  const { graph, llm, t } = useAppWithFakes((fakes) => ({
    WHATSAPP_MEDIA_HOSTS: fakes.graph.baseUrl,
    LLM_ATTEMPTS_PER_MODEL: '1',
    LLM_TIMEOUT_MS: '2000',
    LLM_DEADLINE_MS: '10000',
    WORKER_CONCURRENCY: '8',
  }));

  interface Shop extends TestTenant {
    coca: TestProduct;
    cocaBig: TestProduct;
    cocaLight: TestProduct;
    chips: TestProduct;
  }

  /** Look-alike products: "coca" is the 600 ml (its alias), "coca cola" could be any of three. */
  async function openShop(): Promise<Shop> {
    const tenant = await createTenant(t.db);
    await sellPackage(t, tenant.id, 'pro');
    const coca = await addProduct(t.db, tenant.id, {
      name: 'Coca-Cola 600 ml',
      aliases: ['coca'],
      priceCents: 1800,
      costCents: 1200,
      stock: 10,
    });
    const cocaBig = await addProduct(t.db, tenant.id, {
      name: 'Coca-Cola 2 L',
      priceCents: 3800,
      costCents: 2900,
      stock: 5,
    });
    const cocaLight = await addProduct(t.db, tenant.id, {
      name: 'Coca-Cola Light 600 ml',
      priceCents: 1900,
      costCents: 1300,
      stock: 6,
    });
    const chips = await addProduct(t.db, tenant.id, {
      name: 'Sabritas Original 45 g',
      aliases: ['sabritas'],
      priceCents: 2100,
      costCents: 1400,
      stock: 8,
    });
    return { ...tenant, coca, cocaBig, cocaLight, chips };
  }

  async function addEmployee(shop: TestTenant): Promise<string> {
    const waId = newWaId();
    await t.db.query(
      `INSERT INTO tenant_users (tenant_id, wa_id, role) VALUES ($1, $2, 'employee')`,
      [shop.id, normalizeWaId(waId)],
    );
    return waId;
  }

  async function post(shop: TestTenant, message: Record<string, unknown>): Promise<void> {
    const res = await postWebhook(t.url, envelope({ messages: [message] }, shop.phoneNumberId));
    expect(res.status).toBe(200);
  }

  /** The reply Meta received for `wamid`, found by the id Meta gave it. */
  async function replyTo(wamid: string): Promise<SentMessage> {
    return eventually(
      async () => {
        const [row] = (await t.db.query(
          `SELECT wamid FROM outbound_messages
            WHERE inbound_wamid = $1 AND purpose = 'reply' AND wamid IS NOT NULL`,
          [wamid],
        )) as { wamid: string }[];
        return row && graph.sent.find((s) => s.wamid === row.wamid);
      },
      // Generous: the concurrency tests queue 20 messages at once on a 2-core machine.
      60_000,
      `the reply to ${wamid}`,
    );
  }

  async function say(shop: TestTenant, text: string, from = shop.ownerWaId) {
    const wamid = newWamid();
    await post(shop, textMessage({ from, text, wamid }));
    return { wamid, sent: await replyTo(wamid) };
  }

  function interactive(from: string, wamid: string, reply: Record<string, unknown>) {
    return {
      from,
      id: wamid,
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: 'interactive',
      interactive: reply,
    };
  }

  async function tap(shop: TestTenant, id: string, title: string, from = shop.ownerWaId) {
    const wamid = newWamid();
    await post(
      shop,
      interactive(from, wamid, { type: 'button_reply', button_reply: { id, title } }),
    );
    return { wamid, sent: await replyTo(wamid) };
  }

  async function pick(shop: TestTenant, id: string, title: string) {
    const wamid = newWamid();
    await post(
      shop,
      interactive(shop.ownerWaId, wamid, { type: 'list_reply', list_reply: { id, title } }),
    );
    return { wamid, sent: await replyTo(wamid) };
  }

  function buttons(sent: SentMessage): { id: string; title: string }[] {
    const i = sent.body.interactive as
      { action?: { buttons?: { reply: { id: string; title: string } }[] } } | undefined;
    return (i?.action?.buttons ?? []).map((b) => b.reply);
  }

  function rows(sent: SentMessage): { id: string; title: string }[] {
    const i = sent.body.interactive as
      { action?: { sections?: { rows: { id: string; title: string }[] }[] } } | undefined;
    return (i?.action?.sections ?? []).flatMap((s) => s.rows);
  }

  const yesOf = (sent: SentMessage) => buttons(sent).find((b) => b.title === 'Sí')!.id;
  const noOf = (sent: SentMessage) => buttons(sent).find((b) => b.title === 'No')!.id;

  async function stock(productId: string): Promise<number> {
    const [row] = (await t.db.query(`SELECT stock FROM products WHERE id = $1`, [productId])) as {
      stock: number;
    }[];
    return row.stock;
  }

  async function sales(shop: TestTenant) {
    return (await t.db.query(
      `SELECT id, total_cents, item_count, source, voided_at FROM sales WHERE tenant_id = $1 ORDER BY created_at`,
      [shop.id],
    )) as {
      id: string;
      total_cents: number;
      item_count: number;
      source: string;
      voided_at: Date | null;
    }[];
  }

  async function usage(wamid: string) {
    return (await t.db.query(
      `SELECT operation, tokens_total, tokens_charged FROM token_usage WHERE inbound_wamid = $1 ORDER BY seq`,
      [wamid],
    )) as { operation: string; tokens_total: number; tokens_charged: number }[];
  }

  async function actionStatus(actionId: string): Promise<string> {
    const [row] = (await t.db.query(`SELECT status FROM pending_actions WHERE id = $1`, [
      actionId,
    ])) as { status: string }[];
    return row.status;
  }

  const actionIdOf = (buttonId: string) => buttonId.split(':')[2];

  it('records a typed sale with zero tokens: summary, Sí, the sale with its lines and stock', async () => {
    const shop = await openShop();
    const calls = llm.chatRequests().length;
    const ask = await say(shop, 'vendí dos cocas y una sabritas');

    expect(ask.sent.type).toBe('interactive');
    expect(ask.sent.text).toBe(
      'Registrar venta: 2 × Coca-Cola 600 ml a $18.00 + 1 × Sabritas Original 45 g a $21.00 = $57.00. ¿Confirmas?',
    );
    expect(buttons(ask.sent).map((b) => b.title)).toEqual(['Sí', 'No']);
    expect(await usage(ask.wamid)).toEqual([]);
    expect(llm.chatRequests().length).toBe(calls);
    // Nothing written until the tap.
    expect(await sales(shop)).toEqual([]);
    expect(await stock(shop.coca.id)).toBe(10);

    const yes = await tap(shop, yesOf(ask.sent), 'Sí');
    expect(yes.sent.text).toContain(
      '✅ Venta registrada: 2 × Coca-Cola 600 ml + 1 × Sabritas Original 45 g = $57.00',
    );
    expect(yes.sent.text).toContain('Coca-Cola 600 ml: 8');
    expect(yes.sent.text).toContain('Sabritas Original 45 g: 7');
    expect(buttons(yes.sent).map((b) => b.title)).toEqual(['Deshacer']);
    expect(llm.chatRequests().length).toBe(calls);

    const [sale] = await sales(shop);
    expect(sale).toMatchObject({ total_cents: 2 * 1800 + 2100, item_count: 3, source: 'whatsapp' });
    const items = (await t.db.query(
      `SELECT product_id, quantity, unit_price_cents, unit_cost_cents, subtotal_cents
         FROM sale_items WHERE sale_id = $1 ORDER BY quantity DESC`,
      [sale.id],
    )) as Record<string, unknown>[];
    expect(items).toEqual([
      {
        product_id: shop.coca.id,
        quantity: 2,
        unit_price_cents: 1800,
        unit_cost_cents: 1200,
        subtotal_cents: 3600,
      },
      {
        product_id: shop.chips.id,
        quantity: 1,
        unit_price_cents: 2100,
        unit_cost_cents: 1400,
        subtotal_cents: 2100,
      },
    ]);
    const moves = (await t.db.query(
      `SELECT product_id, quantity_delta, reason FROM inventory_movements
        WHERE tenant_id = $1 AND reason = 'sale' ORDER BY quantity_delta`,
      [shop.id],
    )) as Record<string, unknown>[];
    expect(moves).toEqual([
      { product_id: shop.coca.id, quantity_delta: -2, reason: 'sale' },
      { product_id: shop.chips.id, quantity_delta: -1, reason: 'sale' },
    ]);
    expect(await stock(shop.coca.id)).toBe(8);
    expect(await stock(shop.chips.id)).toBe(7);
    expect(await actionStatus(actionIdOf(yesOf(ask.sent)))).toBe('executed');
  });

  it('records a sale said in a voice note: transcribed (charged as transcription), then the same confirmation', async () => {
    const shop = await openShop();
    const note = speak('vendí dos cocas');
    const mediaId = `${Date.now()}${randomBytes(3).readUIntBE(0, 3)}`;
    graph.media.set(mediaId, { bytes: note.ogg, mimeType: 'audio/ogg; codecs=opus' });
    const heard = llm.audio.length;
    llm.setTranscriber(() => 'Vendí dos cocas.');
    const wamid = newWamid();
    await post(shop, {
      from: shop.ownerWaId,
      id: wamid,
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: 'audio',
      audio: { id: mediaId, mime_type: 'audio/ogg; codecs=opus', voice: true },
    });
    const sent = await replyTo(wamid);
    llm.setTranscriber();

    expect(sent.text).toBe(
      'Entendí: «Vendí dos cocas.»\n\nRegistrar venta: 2 × Coca-Cola 600 ml a $18.00 = $36.00. ¿Confirmas?',
    );
    // The fake received real audio: 16 kHz mono WAV about as long as the note.
    const audio = llm.audio.slice(heard);
    expect(audio).toHaveLength(1);
    expect(audio[0]).toMatchObject({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
    expect(Math.abs((audio[0].seconds ?? 0) - note.seconds)).toBeLessThan(0.2);
    const rows = await usage(wamid);
    expect(rows.map((r) => r.operation)).toEqual(['transcription']);
    expect(rows[0].tokens_charged).toBeGreaterThan(0);
    expect(rows[0].tokens_charged).toBe(rows[0].tokens_total);
    expect(await sales(shop)).toEqual([]);

    const yes = await tap(shop, yesOf(sent), 'Sí');
    expect(yes.sent.text).toContain('Coca-Cola 600 ml: 8');
    expect(await sales(shop)).toHaveLength(1);
    expect(await stock(shop.coca.id)).toBe(8);
  });

  it('a second tap, a tap after expiry, another chat or shop, and a redelivered tap change nothing and say why', async () => {
    const shop = await openShop();
    const other = await openShop();
    const employee = await addEmployee(shop);

    // Another chat of the same shop, and another shop, tap this owner's button.
    const ask = await say(shop, 'vendí 3 cocas');
    const yesId = yesOf(ask.sent);
    const foreign = await tap(shop, yesId, 'Sí', employee);
    expect(foreign.sent.text).toMatch(/no es de una operación de este chat.*no registré nada/);
    const elsewhere = await tap(other, yesId, 'Sí');
    expect(elsewhere.sent.text).toMatch(/no es de una operación de este chat/);
    expect(await actionStatus(actionIdOf(yesId))).toBe('pending');
    expect(await sales(shop)).toEqual([]);

    // The tap, and Meta delivering the very same tap again (same wamid): one sale, one reply.
    const tapWamid = newWamid();
    const tapMessage = interactive(shop.ownerWaId, tapWamid, {
      type: 'button_reply',
      button_reply: { id: yesId, title: 'Sí' },
    });
    await post(shop, tapMessage);
    await post(shop, tapMessage);
    expect((await replyTo(tapWamid)).text).toContain('✅ Venta registrada');
    await post(shop, tapMessage);
    // A later message of the chat is answered after the tap (per-chat order): by then any
    // second answer to the redelivered tap would be there too.
    await say(shop, 'hola');
    const replies = (await t.db.query(
      `SELECT count(*)::int AS n FROM outbound_messages WHERE inbound_wamid = $1`,
      [tapWamid],
    )) as { n: number }[];
    expect(replies[0].n).toBe(1);

    // A second tap (a new message) on the executed action.
    const again = await tap(shop, yesId, 'Sí');
    expect(again.sent.text).toBe('Esa venta ya estaba registrada; no la registré otra vez.');
    expect(await sales(shop)).toHaveLength(1);
    expect(await stock(shop.coca.id)).toBe(7);

    // A proposal left for more than 10 minutes.
    const late = await say(shop, 'vendí 1 sabritas');
    await t.db.query(
      `UPDATE pending_actions SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [actionIdOf(yesOf(late.sent))],
    );
    const expired = await tap(shop, yesOf(late.sent), 'Sí');
    expect(expired.sent.text).toMatch(/ya venció.*no registré nada/);
    expect(await sales(shop)).toHaveLength(1);
    expect(await stock(shop.chips.id)).toBe(8);
    expect(await sales(other)).toEqual([]);
  });

  it('"No" cancels; a later "Sí" on it says it was cancelled', async () => {
    const shop = await openShop();
    const ask = await say(shop, 'vendí 2 cocas');
    const no = await tap(shop, noOf(ask.sent), 'No');
    expect(no.sent.text).toBe('Listo, cancelé la venta: no registré nada.');
    const yes = await tap(shop, yesOf(ask.sent), 'Sí');
    expect(yes.sent.text).toBe('Esa venta ya estaba cancelada, así que no registré nada.');
    expect(await sales(shop)).toEqual([]);
    expect(await stock(shop.coca.id)).toBe(10);
  });

  it('a typed "sí" confirms the chat\'s open action, a typed "no" cancels it', async () => {
    const shop = await openShop();
    await say(shop, 'vendí 2 cocas');
    const yes = await say(shop, 'sí');
    expect(yes.sent.text).toContain('✅ Venta registrada');
    await say(shop, 'vendí 1 sabritas');
    const no = await say(shop, 'no');
    expect(no.sent.text).toBe('Listo, cancelé la venta: no registré nada.');
    expect(await sales(shop)).toHaveLength(1);
  });

  it('"deshacer" takes back the last sale with compensating rows, zero tokens, once', async () => {
    const shop = await openShop();
    const ask = await say(shop, 'vendí 2 cocas');
    await tap(shop, yesOf(ask.sent), 'Sí');
    expect(await stock(shop.coca.id)).toBe(8);

    const undo = await say(shop, 'deshacer');
    expect(undo.sent.text).toBe(
      '↩️ Deshice la venta: 2 × Coca-Cola 600 ml a $18.00 = $36.00.\nTe queda Coca-Cola 600 ml: 10.',
    );
    expect(await usage(undo.wamid)).toEqual([]);
    expect(await stock(shop.coca.id)).toBe(10);
    // History kept: the sale is voided, not deleted; its stock came back as a reversal.
    const [sale] = await sales(shop);
    expect(sale.voided_at).not.toBeNull();
    const moves = (await t.db.query(
      `SELECT quantity_delta, reason FROM inventory_movements
        WHERE tenant_id = $1 AND product_id = $2 AND reason IN ('sale', 'reversal') ORDER BY id`,
      [shop.id, shop.coca.id],
    )) as Record<string, unknown>[];
    expect(moves).toEqual([
      { quantity_delta: -2, reason: 'sale' },
      { quantity_delta: 2, reason: 'reversal' },
    ]);
    // A voided sale counts nowhere.
    const today = await say(shop, '¿cuánto vendí hoy?');
    expect(today.sent.text).not.toContain('$36.00');

    const twice = await say(shop, 'deshacer');
    expect(twice.sent.text).toBe('Tu última operación ya estaba deshecha; no cambié nada más.');
    expect(await stock(shop.coca.id)).toBe(10);
  });

  it('asks which product with a list when several match, then confirms the one chosen', async () => {
    const shop = await openShop();
    const ask = await say(shop, 'vendí 2 coca cola');
    expect(ask.sent.type).toBe('interactive');
    expect(ask.sent.body.interactive).toMatchObject({ type: 'list' });
    expect(ask.sent.text).toMatch(/varios productos que dicen «coca cola»/);
    const options = rows(ask.sent);
    expect(options.map((r) => r.title).sort()).toEqual(
      ['Coca-Cola 2 L', 'Coca-Cola 600 ml', 'Coca-Cola Light 600 ml'].sort(),
    );
    expect(await usage(ask.wamid)).toEqual([]);

    const big = options.find((r) => r.title === 'Coca-Cola 2 L')!;
    const chosen = await pick(shop, big.id, big.title);
    expect(chosen.sent.text).toBe(
      'Registrar venta: 2 × Coca-Cola 2 L a $38.00 = $76.00. ¿Confirmas?',
    );
    expect(await sales(shop)).toEqual([]);
    const yes = await tap(shop, yesOf(chosen.sent), 'Sí');
    expect(yes.sent.text).toContain('Coca-Cola 2 L: 3');
    expect(await stock(shop.cocaBig.id)).toBe(3);
    expect(await stock(shop.coca.id)).toBe(10);
  });

  it('an unknown product gets the closest names and nothing is written', async () => {
    const shop = await openShop();
    const ask = await say(shop, 'vendí 3 sabritaz adobadas');
    expect(ask.sent.text).toMatch(/No encontré «sabritaz adobadas» en tu catálogo/);
    expect(ask.sent.text).toContain('«Sabritas Original 45 g»');
    expect(ask.sent.text).toMatch(/No registré nada/);
    const pending = (await t.db.query(
      `SELECT count(*)::int AS n FROM pending_actions WHERE tenant_id = $1`,
      [shop.id],
    )) as { n: number }[];
    expect(pending[0].n).toBe(0);
    expect(await sales(shop)).toEqual([]);
  });

  it('a price change to the price it already has is not proposed: it says so, zero tokens', async () => {
    const shop = await openShop();
    const [{ price_cents: before }] = (await t.db.query(
      `SELECT price_cents FROM products WHERE id = $1`,
      [shop.coca.id],
    )) as { price_cents: number }[];
    const ask = await say(shop, `pon la coca a ${before / 100} pesos`);
    expect(ask.sent.text).toBe('Coca-Cola 600 ml ya está a $18.00; no cambié nada.');
    expect(ask.sent.type).toBe('text');
    const pending = (await t.db.query(
      `SELECT count(*)::int AS n FROM pending_actions WHERE tenant_id = $1`,
      [shop.id],
    )) as { n: number }[];
    expect(pending[0].n).toBe(0);
    expect(await usage(ask.wamid)).toEqual([]);
  });

  it('records arrivals, losses, counts and price changes, each with what it replaced', async () => {
    const shop = await openShop();
    const arrive = await say(shop, 'llegaron 24 cocas');
    expect(arrive.sent.text).toBe('Registrar entrada (compra): +24 Coca-Cola 600 ml. ¿Confirmas?');
    expect((await tap(shop, yesOf(arrive.sent), 'Sí')).sent.text).toContain('Coca-Cola 600 ml: 34');

    const broke = await say(shop, 'se rompieron 2 cocas');
    expect(broke.sent.text).toBe('Registrar salida (rotura): -2 Coca-Cola 600 ml. ¿Confirmas?');
    await tap(shop, yesOf(broke.sent), 'Sí');

    const count = await say(shop, 'conté 30 sabritas');
    expect(count.sent.text).toBe(
      'Ajustar inventario: Sabritas Original 45 g a 30 (hoy dice 8). ¿Confirmas?',
    );
    await tap(shop, yesOf(count.sent), 'Sí');

    const price = await say(shop, 'sube la coca a 20 pesos');
    expect(price.sent.text).toBe(
      'Cambiar precio: Coca-Cola 600 ml de $18.00 a $20.00. ¿Confirmas?',
    );
    expect((await tap(shop, yesOf(price.sent), 'Sí')).sent.text).toBe(
      '✅ Precio cambiado: Coca-Cola 600 ml ahora cuesta $20.00 (antes $18.00).\n¿Fue un error? Escribe «deshacer» o toca el botón (10 min).',
    );
    for (const w of [arrive, broke, count, price]) expect(await usage(w.wamid)).toEqual([]);

    expect(await stock(shop.coca.id)).toBe(32);
    expect(await stock(shop.chips.id)).toBe(30);
    const moves = (await t.db.query(
      `SELECT product_id, quantity_delta, reason, note FROM inventory_movements
        WHERE tenant_id = $1 AND action_id IS NOT NULL ORDER BY id`,
      [shop.id],
    )) as Record<string, unknown>[];
    expect(moves).toEqual([
      { product_id: shop.coca.id, quantity_delta: 24, reason: 'purchase', note: 'compra' },
      { product_id: shop.coca.id, quantity_delta: -2, reason: 'loss', note: 'rotura' },
      { product_id: shop.chips.id, quantity_delta: 22, reason: 'count', note: 'conteo' },
    ]);
    const prices = (await t.db.query(
      `SELECT p.price_cents, c.old_price_cents, c.new_price_cents
         FROM price_changes c JOIN products p ON p.id = c.product_id WHERE c.tenant_id = $1`,
      [shop.id],
    )) as Record<string, unknown>[];
    expect(prices).toEqual([{ price_cents: 2000, old_price_cents: 1800, new_price_cents: 2000 }]);

    // The price change undone: the old price back, as a new row.
    const undo = await say(shop, 'deshacer');
    expect(undo.sent.text).toContain('Coca-Cola 600 ml vuelve a costar $18.00');
    const [{ price_cents }] = (await t.db.query(`SELECT price_cents FROM products WHERE id = $1`, [
      shop.coca.id,
    ])) as { price_cents: number }[];
    expect(price_cents).toBe(1800);
  });

  it('refuses a sale below zero when the shop does not allow it, and says why; allows it by default', async () => {
    const shop = await openShop();
    const below = await say(shop, 'vendí 12 cocas');
    await tap(shop, yesOf(below.sent), 'Sí');
    expect(await stock(shop.coca.id)).toBe(-2);

    // The admin turns it off through the API (what the console and support use).
    const off = await api(t, 'PATCH', `/admin/tenants/${shop.id}`, {
      body: { allowNegativeStock: false },
    });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: shop.id, allowNegativeStock: false });
    const ask = await say(shop, 'vendí 9 sabritas');
    const refused = await tap(shop, yesOf(ask.sent), 'Sí');
    expect(refused.sent.text).toContain(
      'No registré la venta: tu tienda no permite quedar con inventario negativo.',
    );
    expect(refused.sent.text).toContain('Sabritas Original 45 g: tienes 8 y vendiste 9');
    expect(await stock(shop.chips.id)).toBe(8);
    expect(await sales(shop)).toHaveLength(1);
    expect(await actionStatus(actionIdOf(yesOf(ask.sent)))).toBe('refused');
  });

  it('two confirmations of the same action at once make one sale', async () => {
    const shop = await openShop();
    const ask = await say(shop, 'vendí 2 cocas');
    const actionId = actionIdOf(yesOf(ask.sent));
    const actions = t.app.get(ActionsService);
    const [user] = (await t.db.query(
      `SELECT id FROM tenant_users WHERE tenant_id = $1 AND role = 'owner'`,
      [shop.id],
    )) as { id: string }[];
    const actor = (wamid: string) => ({
      tenantId: shop.id,
      tenantUserId: user.id,
      chatWaId: shop.ownerPhone,
      wamid,
      role: 'owner' as const,
      allowNegativeStock: true,
    });
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () => actions.confirm(actor(newWamid()), actionId)),
    );
    expect(outcomes.map((o) => o.kind).sort()).toEqual([
      'already_executed',
      'already_executed',
      'already_executed',
      'executed',
    ]);
    // And two taps in one webhook delivery.
    const second = await say(shop, 'vendí 1 sabritas');
    const id = yesOf(second.sent);
    const [a, b] = [newWamid(), newWamid()];
    const res = await postWebhook(
      t.url,
      envelope(
        {
          messages: [
            interactive(shop.ownerWaId, a, {
              type: 'button_reply',
              button_reply: { id, title: 'Sí' },
            }),
            interactive(shop.ownerWaId, b, {
              type: 'button_reply',
              button_reply: { id, title: 'Sí' },
            }),
          ],
        },
        shop.phoneNumberId,
      ),
    );
    expect(res.status).toBe(200);
    const texts = [(await replyTo(a)).text, (await replyTo(b)).text];
    expect(texts.filter((x) => x.includes('✅ Venta registrada'))).toHaveLength(1);
    expect(texts.filter((x) => x.includes('ya estaba registrada'))).toHaveLength(1);
    expect(await sales(shop)).toHaveLength(2);
    expect(await stock(shop.coca.id)).toBe(8);
    expect(await stock(shop.chips.id)).toBe(7);
  });

  it('20 different sales confirmed at once leave the stock exactly right', async () => {
    const shop = await openShop();
    await t.db.query(`UPDATE products SET stock = 100 WHERE id = $1`, [shop.coca.id]);
    const sellers = await Promise.all(Array.from({ length: 20 }, () => addEmployee(shop)));
    const asks = await Promise.all(
      sellers.map((from, i) => say(shop, `vendí ${(i % 3) + 1} cocas`, from)),
    );
    const taps = await Promise.all(
      asks.map((ask, i) => tap(shop, yesOf(ask.sent), 'Sí', sellers[i])),
    );
    for (const x of taps) expect(x.sent.text).toContain('✅ Venta registrada');
    const sold = sellers.reduce((a, _s, i) => a + (i % 3) + 1, 0);
    const [row] = (await t.db.query(
      `SELECT (SELECT count(*)::int FROM sales WHERE tenant_id = $1) AS sales,
              (SELECT COALESCE(SUM(quantity), 0)::int FROM sale_items WHERE tenant_id = $1) AS units,
              (SELECT COALESCE(SUM(quantity_delta), 0)::int FROM inventory_movements
                WHERE tenant_id = $1 AND product_id = $2 AND reason = 'sale') AS moved`,
      [shop.id, shop.coca.id],
    )) as { sales: number; units: number; moved: number }[];
    expect(row).toEqual({ sales: 20, units: sold, moved: -sold });
    expect(await stock(shop.coca.id)).toBe(100 - sold);
  }, 180_000);

  it('employees record sales but are refused profit, balance and price changes, told who can', async () => {
    const shop = await openShop();
    const employee = await addEmployee(shop);
    const profit = await say(shop, '¿cuánto gané hoy?', employee);
    expect(profit.sent.text).toMatch(/solo lo puede consultar el dueño de la tienda/);
    expect(await usage(profit.wamid)).toEqual([]);
    const balance = await say(shop, '¿cuántos tokens me quedan?', employee);
    expect(balance.sent.text).toMatch(/solo lo puede consultar el dueño/);
    const price = await say(shop, 'sube la coca a 20 pesos', employee);
    expect(price.sent.text).toMatch(/Solo el dueño de la tienda puede cambiar precios/);

    const sale = await say(shop, 'vendí 2 cocas', employee);
    expect(sale.sent.text).toContain('Registrar venta: 2 × Coca-Cola 600 ml');
    const yes = await tap(shop, yesOf(sale.sent), 'Sí', employee);
    expect(yes.sent.text).toContain('✅ Venta registrada');
    expect(await stock(shop.coca.id)).toBe(8);
    const [{ price_cents }] = (await t.db.query(`SELECT price_cents FROM products WHERE id = $1`, [
      shop.coca.id,
    ])) as { price_cents: number }[];
    expect(price_cents).toBe(1800);
  });

  it('asks the LLM only when the rules cannot tell what to write, and its proposal still waits for the tap', async () => {
    const shop = await openShop();
    const offersWriteTools = (r: RecordedRequest) =>
      (r.body?.tools ?? []).some((tool) => tool.function?.name === 'proponer_venta') &&
      JSON.stringify(r.body?.messages ?? []).includes(shop.name);
    llm.on(offersWriteTools, {
      toolCalls: [
        { name: 'proponer_venta', arguments: { items: [{ product: 'sabritas', quantity: 2 }] } },
      ],
    });
    const ask = await say(shop, 'vendí sabritas, fueron dos');
    expect(ask.sent.text).toBe(
      'Registrar venta: 2 × Sabritas Original 45 g a $21.00 = $42.00. ¿Confirmas?',
    );
    const rows = await usage(ask.wamid);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.tokens_charged > 0)).toBe(true);
    expect(llm.chatRequests().filter(offersWriteTools)).toHaveLength(1);
    expect(await sales(shop)).toEqual([]);
    await tap(shop, yesOf(ask.sent), 'Sí');
    expect(await stock(shop.chips.id)).toBe(6);
  });
});
