import { DataSource } from 'typeorm';
import type { FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { sellPackage } from '../../dev/support/admin';
import { createTenant, type TestTenant } from '../../dev/support/tenants';
import { envelope, newWamid, postWebhook, textMessage } from '../../dev/support/webhook';
import { dataSourceOptions } from '../../src/database/data-source-options';

/** A connection of the test's own to the run's database (for set-up and SQL checks). */
export async function testDb(url = process.env.DATABASE_URL!): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(url, 4));
  await ds.initialize();
  return ds;
}

/** Questions that need the LLM (no direct answer): each one is a charged answer. */
const QUESTIONS = [
  '¿cuánto vendí hoy?',
  '¿qué se vendió más esta semana?',
  '¿cuánto vendí ayer?',
  '¿cuánto llevo vendido hoy?',
];

export interface Chat {
  shop: TestTenant;
  /** The chat's messages in the order they were sent. */
  wamids: string[];
}

/** `chats` shops (one owner chat each), each with a token package bought through the admin API. */
export async function shopsForBurst(
  db: DataSource,
  admin: { url: string },
  chats: number,
): Promise<TestTenant[]> {
  const shops: TestTenant[] = [];
  for (let i = 0; i < chats; i++) {
    const shop = await createTenant(db);
    await sellPackage(admin, shop.id, 'pro');
    shops.push(shop);
  }
  return shops;
}

/**
 * Sends `perChat` questions from each shop's owner, one webhook delivery per message, each
 * chat in order (Meta timestamps one second apart) and the chats in parallel. A delivery
 * Meta would retry (anything but 200) is retried, as Meta does, until it is taken.
 */
export async function sendBurst(
  webhookUrl: string,
  shops: TestTenant[],
  perChat: number,
  options: { retryForMs?: number } = {},
): Promise<Chat[]> {
  const base = Math.floor(Date.now() / 1000) - perChat - 5;
  return Promise.all(
    shops.map(async (shop) => {
      const wamids: string[] = [];
      for (let i = 0; i < perChat; i++) {
        const wamid = newWamid();
        const body = JSON.stringify(
          envelope(
            {
              messages: [
                textMessage({
                  from: shop.ownerWaId,
                  text: QUESTIONS[i % QUESTIONS.length],
                  wamid,
                  timestamp: base + i,
                }),
              ],
            },
            shop.phoneNumberId,
          ),
        );
        const deadline = Date.now() + (options.retryForMs ?? 60_000);
        for (;;) {
          const res = await postWebhook(webhookUrl, body).catch(() => ({ status: 0, text: '' }));
          if (res.status === 200) break;
          if (Date.now() > deadline) throw new Error(`delivery refused: ${res.status} ${res.text}`);
          await new Promise((r) => setTimeout(r, 250));
        }
        wamids.push(wamid);
      }
      return { shop, wamids };
    }),
  );
}

/** How many of the burst's messages are done (processed, ignored or failed). */
export async function doneCount(db: DataSource, chats: Chat[]): Promise<number> {
  const [row] = (await db.query(
    `SELECT count(*)::int AS n FROM inbound_messages
      WHERE wamid = ANY($1) AND status IN ('processed', 'ignored', 'failed')`,
    [chats.flatMap((c) => c.wamids)],
  )) as { n: number }[];
  return row.n;
}

/**
 * Every message answered once: 'processed', one reply row, one receipt at the fake Graph;
 * and, per chat, the replies reached the fake Graph in the order the questions were sent.
 * Returns the replies' fallback levels (by inbound wamid).
 */
export async function expectEachAnsweredOnceInOrder(
  db: DataSource,
  graph: FakeGraphApi,
  chats: Chat[],
  options: { checkOrder?: boolean } = {},
): Promise<Map<string, string | null>> {
  const all = chats.flatMap((c) => c.wamids);
  const rows: {
    inbound_wamid: string;
    status: string;
    wamid: string | null;
    level: string | null;
    in_status: string;
  }[] = await db.query(
    `SELECT i.wamid AS inbound_wamid, i.status AS in_status, o.status, o.wamid,
              o.fallback_level AS level
         FROM inbound_messages i
         LEFT JOIN outbound_messages o ON o.inbound_wamid = i.wamid AND o.purpose = 'reply'
        WHERE i.wamid = ANY($1)`,
    [all],
  );
  const problems: string[] = [];
  if (rows.length !== all.length) problems.push(`${rows.length} rows for ${all.length} messages`);
  const byInbound = new Map(rows.map((r) => [r.inbound_wamid, r]));
  const receipts = new Map<string, number>();
  for (const s of graph.sent) receipts.set(s.wamid, (receipts.get(s.wamid) ?? 0) + 1);
  for (const w of all) {
    const r = byInbound.get(w);
    if (!r) problems.push(`${w}: not stored`);
    else if (r.in_status !== 'processed') problems.push(`${w}: ${r.in_status}`);
    else if (!r.wamid) problems.push(`${w}: reply ${r.status ?? 'missing'}, never sent`);
    else if (receipts.get(r.wamid) !== 1) {
      problems.push(`${w}: reply reached the fake Graph ${receipts.get(r.wamid) ?? 0} times`);
    }
  }
  if (options.checkOrder !== false) {
    const position = new Map(graph.sent.map((s, i) => [s.wamid, i]));
    for (const chat of chats) {
      const order = chat.wamids.map((w) => position.get(byInbound.get(w)?.wamid ?? '') ?? -1);
      if (order.some((p, i) => i > 0 && p < order[i - 1])) {
        problems.push(`chat of ${chat.shop.ownerWaId} answered out of order: ${order.join(',')}`);
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(`${problems.length} problems:\n  ${problems.slice(0, 20).join('\n  ')}`);
  }
  return new Map(rows.map((r) => [r.inbound_wamid, r.level]));
}
