import { createHash } from 'node:crypto';
import type { RecordedRequest } from '../../dev/fakes/fake-openrouter';
import { sellPackage } from '../../dev/support/admin';
import { api } from '../../dev/support/admin-api';
import { eventually } from '../../dev/support/app-harness';
import { useAppWithFakes } from '../../dev/support/app-with-fakes';
import { createTenant, type TestTenant } from '../../dev/support/tenants';
import { envelope, newWamid, postWebhook, textMessage } from '../../dev/support/webhook';
import { addProduct, addSale } from '../support/store';

const FAST = 'google/gemini-flash-1.5';
const BALANCED = 'anthropic/claude-3-haiku';
const CAREFUL = 'anthropic/claude-3.5-sonnet';
const EXPERIMENT = 'profit-careful';

/**
 * Routing by intent end to end: the model the fake OpenRouter is asked for is the one of the
 * profile the intent maps to (reads with prefetched data → low-latency, otro → balanced, a
 * write the rules could not parse → high-accuracy); a shop's own map wins and is config only
 * (the next message follows it); an experiment splits shops into its two arms and every
 * answer records its arm.
 */
describe('routing by intent and A/B arms (e2e: webhook → worker → fake OpenRouter)', () => {
  const { graph, llm, t } = useAppWithFakes({
    LLM_MODEL_DEFAULT: BALANCED,
    LLM_MODEL_FALLBACK: 'openai/gpt-3.5-turbo',
    LLM_PROFILES: JSON.stringify({
      balanced: [BALANCED],
      'low-latency': [FAST],
      'high-accuracy': [CAREFUL],
    }),
    LLM_EXPERIMENTS: JSON.stringify([
      {
        name: EXPERIMENT,
        a: 'low-latency',
        b: 'high-accuracy',
        percentB: 50,
        intents: ['ganancias'],
      },
    ]),
    RESPONSE_CACHE_TTL_SECONDS: '0',
  });

  const callsFor = (shop: TestTenant): RecordedRequest[] =>
    llm.chatRequests().filter((r) => JSON.stringify(r.body?.messages ?? []).includes(shop.name));

  async function openShop(): Promise<TestTenant> {
    const shop = await createTenant(t.db);
    await sellPackage(t, shop.id, 'pro');
    const coca = await addProduct(t.db, shop.id, {
      name: 'Coca-Cola 600 ml',
      aliases: ['coca'],
      priceCents: 1850,
      costCents: 1300,
    });
    await addProduct(t.db, shop.id, {
      name: 'Sabritas Original 45 g',
      aliases: ['sabritas'],
      priceCents: 2100,
    });
    await addSale(t.db, shop.id, coca, 3, new Date(Date.now() - 60_000));
    return shop;
  }

  /** Asks, waits for the reply to be sent; returns the models the fake was asked for. */
  async function ask(shop: TestTenant, text: string): Promise<{ wamid: string; models: string[] }> {
    const before = callsFor(shop).length;
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
    return {
      wamid,
      models: callsFor(shop)
        .slice(before)
        .map((r) => String(r.model)),
    };
  }

  const replyRow = async (wamid: string) =>
    (
      (await t.db.query(
        `SELECT experiment, experiment_arm FROM outbound_messages WHERE inbound_wamid = $1 AND purpose = 'reply'`,
        [wamid],
      )) as { experiment: string | null; experiment_arm: string | null }[]
    )[0];

  /** The arm, computed here from the documented rule (sha256 of "<name>:<id>", first 32 bits). */
  const expectedArm = (id: string, percentB: number): 'a' | 'b' =>
    (createHash('sha256').update(`${EXPERIMENT}:${id}`).digest().readUInt32BE(0) / 2 ** 32) * 100 <
    percentB
      ? 'b'
      : 'a';

  it('sends each intent to the model of its profile', async () => {
    const shop = await openShop();
    expect((await ask(shop, '¿cuánto vendí hoy?')).models).toEqual([FAST]);
    expect((await ask(shop, 'dame ideas de promociones para el fin de semana')).models).toEqual([
      BALANCED,
    ]);
    const writeTools = (r: RecordedRequest) =>
      (r.body?.tools ?? []).some((tool) => tool.function?.name === 'proponer_venta') &&
      JSON.stringify(r.body?.messages ?? []).includes(shop.name);
    llm.on(writeTools, {
      toolCalls: [
        { name: 'proponer_venta', arguments: { items: [{ product: 'sabritas', quantity: 2 }] } },
      ],
    });
    const write = await ask(shop, 'vendí sabritas, fueron dos');
    expect(write.models).toEqual([CAREFUL]);
    // Not in the experiment (it covers ganancias only): no arm recorded.
    expect(await replyRow(write.wamid)).toEqual({ experiment: null, experiment_arm: null });
  });

  it("a shop's own map wins, and changing it applies from the next message", async () => {
    const shop = await openShop();
    const put = await api(t, 'PUT', `/admin/tenants/${shop.id}/settings`, {
      body: { intentProfiles: { ventas: 'high-accuracy', otro: 'low-latency' } },
    });
    expect(put.status).toBe(200);
    expect((await ask(shop, '¿cuánto vendí hoy?')).models).toEqual([CAREFUL]);
    expect((await ask(shop, 'dame ideas de promociones para el fin de semana')).models).toEqual([
      FAST,
    ]);
    const bad = await api(t, 'PUT', `/admin/tenants/${shop.id}/settings`, {
      body: { intentProfiles: { ventas: 'fastest' } },
    });
    expect(bad.status).toBe(400);
    await api(t, 'PUT', `/admin/tenants/${shop.id}/settings`, { body: { intentProfiles: {} } });
    expect((await ask(shop, '¿cuánto vendí ayer?')).models).toEqual([FAST]);
  });

  it('an experiment sends each shop to the model of its arm and records the arm on the answer', async () => {
    // Shops until both arms have one (ids are random; at least 4 shops).
    const shops: TestTenant[] = [];
    while (shops.length < 4 || new Set(shops.map((s) => expectedArm(s.id, 50))).size < 2) {
      shops.push(await openShop());
    }
    const arms = new Set<string>();
    for (const shop of shops) {
      const arm = expectedArm(shop.id, 50);
      arms.add(arm);
      const answer = await ask(shop, '¿cuánto gané hoy?');
      expect(answer.models).toEqual([arm === 'a' ? FAST : CAREFUL]);
      expect(await replyRow(answer.wamid)).toEqual({ experiment: EXPERIMENT, experiment_arm: arm });
      // Same shop, same arm.
      const again = await ask(shop, '¿cuánto gané ayer?');
      expect(await replyRow(again.wamid)).toEqual({ experiment: EXPERIMENT, experiment_arm: arm });
    }
    expect(arms.size).toBe(2);
    // The report counts them per arm: two answers per shop, each on its shop's arm.
    const report = await api<{ arms: { arm: string; profile: string; answers: number }[] }>(
      t,
      'GET',
      `/admin/experiments/${EXPERIMENT}/report`,
    );
    expect(report.status).toBe(200);
    const perArm = (arm: 'a' | 'b') =>
      2 * shops.filter((s) => expectedArm(s.id, 50) === arm).length;
    expect(report.body.arms).toEqual([
      expect.objectContaining({ arm: 'a', profile: 'low-latency', answers: perArm('a') }),
      expect.objectContaining({ arm: 'b', profile: 'high-accuracy', answers: perArm('b') }),
    ]);
    // A shop with its own profile for the intent is not split.
    const own = shops[0];
    await api(t, 'PUT', `/admin/tenants/${own.id}/settings`, {
      body: { intentProfiles: { ganancias: 'balanced' } },
    });
    const mine = await ask(own, '¿cuánto gané esta semana?');
    expect(mine.models).toEqual([BALANCED]);
    expect(await replyRow(mine.wamid)).toEqual({ experiment: null, experiment_arm: null });
  });
});
