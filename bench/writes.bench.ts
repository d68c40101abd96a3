/**
 * Write-phrase benchmark: `npm run bench:writes`.
 *
 * What recording a sale, a stock change or a price change costs the shop, measured through the
 * whole pipeline: each phrase of test/fixtures/write-phrases.tsv (written before the write rules
 * were tuned) is sent through the signed webhook as the demo shop's owner, against the demo
 * catalogue (~60 products with look-alikes: Coca-Cola 600 ml / 2 L / lata, two aceites, two
 * leches…), the fake OpenRouter (deterministic; tokens counted as chars/4) and the fake Graph
 * API. For every phrase it reads what the app did from the database, not from the reply:
 *   - confirmation: a pending action ('pending') proposed for the phrase's wamid;
 *   - list: a pending action still 'choosing' (several products matched: the owner picks one);
 *   - no product: no action, the reply names the closest products (nothing written);
 *   - same price: a price change to the price the product has (nothing to confirm);
 *   - other: anything else (e.g. answered as a read).
 * and the tokens charged for it (token_usage by inbound wamid) and the LLM requests the fake saw.
 *
 * Headline figures: share of phrases handled with zero tokens, and the median tokens of the
 * phrases that needed the LLM. Baseline in the same run: the share the rules parse alone
 * (intent, operation and items), which is what the pipeline can reach at best without the LLM.
 *
 * BENCH_WRITE_PHRASES=<file>: instead, the registrar_venta / ajustar_inventario lines of a
 * labelled set in the intents format (`intent<TAB>text`), e.g. a held-out set written blind —
 * phrases the rules were never tuned on. The rules-alone baseline is then the share the
 * classifier labels as the set does.
 *
 * After each phrase an open proposal is declined ("no") so the next phrase starts clean.
 * Writes bench/results/writes.json (writes-labelled.json with BENCH_WRITE_PHRASES).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { DEMO_OWNER_WA_ID, DEMO_PHONE_NUMBER_ID, seedDemo } from '../database/seeds/demo';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyIntent } from '../src/intents';
import {
  evaluateWritePhrases,
  parseWritePhraseFixture,
} from '../src/intents/write-phrase-evaluation';
import { startFakeGraphApi } from '../dev/fakes/fake-graph-api';
import { startFakeOpenRouter } from '../dev/fakes/fake-openrouter';
import { deleteKeys } from '../dev/support/redis-keys';
import { createMigratedDatabase, dropDatabase } from '../dev/support/database';
import { sellPackage } from '../dev/support/admin';
import { startApp, type RunningApp } from '../dev/support/app-harness';
import { envelope, newWamid, postWebhook, textMessage } from '../dev/support/webhook';
import { startRun, writeResult } from './support/run-info';
import { percentile, round as roundTo } from './support/stats';

const round = (x: number) => roundTo(x, 1);

type Outcome = 'confirmation' | 'list' | 'no product' | 'same price' | 'other';

interface PhraseResult {
  text: string;
  outcome: Outcome;
  kind: string | null;
  tokens: number;
  llmRequests: number;
  reply: string;
}

async function main(): Promise<void> {
  const name = process.env.BENCH_WRITE_PHRASES ? 'writes-labelled' : 'writes';
  const info = startRun(name);
  process.env.LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'silent';
  const defaults: Record<string, string> = {
    REDIS_URL: 'redis://127.0.0.1:6379',
    WHATSAPP_VERIFY_TOKEN: 'bench-verify-token',
    WHATSAPP_APP_SECRET: 'test-app-secret',
    WHATSAPP_ACCESS_TOKEN: 'bench-access-token',
    OPENROUTER_API_KEY: 'sk-or-bench',
    ADMIN_API_TOKEN: 'test-admin-token-0123456789',
    ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    // One owner asks everything, back to back: the per-chat rate limit ([10]) would hold the
    // 11th question of the minute (an ignored message, no reply), which is not what is measured.
    CHAT_RATE_LIMIT_MESSAGES: '1000000',
  };
  for (const [k, v] of Object.entries(defaults)) process.env[k] ??= v;

  const extra = process.env.BENCH_WRITE_PHRASES;
  const { phrases, rulesOnly } = extra ? labelledWrites(extra) : fixtureWrites();

  const dbName = `changarrito_bench_${randomBytes(4).toString('hex')}`;
  process.env.DATABASE_URL = await createMigratedDatabase(dbName);
  process.env.QUEUE_PREFIX = `bench_${randomBytes(4).toString('hex')}`;
  const graph = await startFakeGraphApi();
  const llm = await startFakeOpenRouter();
  const t = await startApp({
    WHATSAPP_API_BASE_URL: graph.baseUrl,
    OPENROUTER_BASE_URL: llm.baseUrl,
    RESPONSE_CACHE_TTL_SECONDS: '0',
  });
  try {
    const shop = await seedDemo(t.db);
    await sellPackage(t, shop.tenantId, 'empresarial');

    const results: PhraseResult[] = [];
    for (const phrase of phrases) {
      const before = llm.requests.length;
      const wamid = await send(t, phrase.text);
      const reply = await replyTo(t, graph.sent, wamid);
      const [usage] = (await t.db.query(
        `SELECT COALESCE(SUM(tokens_total), 0)::int AS tokens FROM token_usage WHERE inbound_wamid = $1`,
        [wamid],
      )) as { tokens: number }[];
      const [action] = (await t.db.query(
        `SELECT kind, status FROM pending_actions WHERE inbound_wamid = $1`,
        [wamid],
      )) as { kind: string; status: string }[];
      const outcome: Outcome = action
        ? action.status === 'choosing'
          ? 'list'
          : 'confirmation'
        : /no (encontr|tengo)/i.test(reply)
          ? 'no product'
          : /ya está a .*no cambié nada/.test(reply)
            ? 'same price'
            : 'other';
      results.push({
        text: phrase.text,
        outcome,
        kind: action?.kind ?? null,
        tokens: usage.tokens,
        llmRequests: llm.requests.length - before,
        reply,
      });
      // Leave no open proposal behind for the next phrase.
      if (action && (action.status === 'pending' || action.status === 'choosing')) {
        await replyTo(t, graph.sent, await send(t, 'no'));
      }
    }

    const zero = results.filter((r) => r.tokens === 0);
    const paid = results.filter((r) => r.tokens > 0).map((r) => r.tokens);
    const byOutcome = count(results.map((r) => r.outcome));
    const zeroShare = round((100 * zero.length) / results.length);
    const confirmedZero = zero.filter((r) => r.outcome === 'confirmation').length;
    const summary = {
      phrases: results.length,
      tokenCounting: 'fake OpenRouter: chars/4 + 4 per message (deterministic)',
      catalogue: 'demo shop (database/seeds/demo-catalogue.ts)',
      zeroTokenShare: zeroShare,
      zeroTokenConfirmations: confirmedZero,
      needingLlm: paid.length,
      tokensOfThoseNeedingLlm: paid.length
        ? { median: percentile(paid, 50), p95: percentile(paid, 95), max: Math.max(...paid) }
        : null,
      byOutcome,
      zeroTokenByOutcome: count(zero.map((r) => r.outcome)),
      source: rulesOnly.source,
      baseline: {
        rulesParseFully: rulesOnly.fullyParsed,
        rulesParseShare: round((100 * rulesOnly.fullyParsed) / rulesOnly.total),
      },
      perPhrase: results,
    };

    console.log('\nphrase                                             outcome       tokens  reply');
    for (const r of results) {
      console.log(
        `${r.text.padEnd(50).slice(0, 50)} ${r.outcome.padEnd(12)} ${String(r.tokens).padStart(6)}  ${r.reply.replace(/\n/g, ' ').slice(0, 60)}`,
      );
    }
    console.log(
      `\n${zero.length}/${results.length} phrases (${zeroShare} %) handled with zero tokens ` +
        `(${confirmedZero} straight to a confirmation); outcomes ${JSON.stringify(byOutcome)}`,
    );
    console.log(
      summary.tokensOfThoseNeedingLlm
        ? `${paid.length} needed the LLM: median ${summary.tokensOfThoseNeedingLlm.median} tokens, p95 ${summary.tokensOfThoseNeedingLlm.p95}`
        : 'none needed the LLM',
    );
    console.log(
      `baseline (rules alone, same phrases): ${rulesOnly.fullyParsed}/${rulesOnly.total} parsed fully (${summary.baseline.rulesParseShare} %)`,
    );
    writeResult(
      name,
      info,
      [
        {
          figure: 'write phrases handled with zero tokens (through the pipeline)',
          value: zeroShare,
          unit: '%',
          target: null,
          baseline: `rules alone parse ${summary.baseline.rulesParseShare} %`,
          pass: null,
        },
        {
          figure: 'median tokens of the write phrases that needed the LLM',
          value: summary.tokensOfThoseNeedingLlm?.median ?? 0,
          unit: 'tokens',
          target: null,
          baseline: `${paid.length} of ${results.length} phrases`,
          pass: null,
        },
      ],
      summary,
    );
  } finally {
    await t.close();
    await graph.close();
    await llm.close();
    await dropDatabase(dbName);
    const redis = new Redis(process.env.REDIS_URL!);
    await deleteKeys(redis, `${t.queuePrefix}*`).finally(() => redis.disconnect());
  }
}

/** The write fixture (text, intent, operation, items): the baseline is a full parse. */
function fixtureWrites() {
  const phrases = parseWritePhraseFixture(
    readFileSync(join(__dirname, '..', 'test', 'fixtures', 'write-phrases.tsv'), 'utf8'),
  );
  const report = evaluateWritePhrases(phrases, (text) => classifyIntent(text));
  return {
    phrases,
    rulesOnly: {
      source: 'test/fixtures/write-phrases.tsv',
      total: report.total,
      fullyParsed: report.fullyParsed,
    },
  };
}

/** The write lines of a labelled intents set: the baseline is the intent alone. */
function labelledWrites(path: string) {
  const phrases = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [intent, text] = l.split('\t');
      return { intent, text };
    })
    .filter((p) => p.intent === 'registrar_venta' || p.intent === 'ajustar_inventario');
  const labelled = phrases.filter((p) => classifyIntent(p.text).intent === p.intent).length;
  return { phrases, rulesOnly: { source: path, total: phrases.length, fullyParsed: labelled } };
}

async function send(t: RunningApp, text: string): Promise<string> {
  const wamid = newWamid();
  await postWebhook(
    t.url,
    envelope(
      { messages: [textMessage({ from: DEMO_OWNER_WA_ID, text, wamid })] },
      DEMO_PHONE_NUMBER_ID,
    ),
  );
  return wamid;
}

/** The text of the reply to one inbound message, found by the wamid Meta gave the reply. */
async function replyTo(
  t: RunningApp,
  sent: { wamid: string; text: string }[],
  wamid: string,
): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const rows = (await t.db.query(
      `SELECT wamid FROM outbound_messages
        WHERE inbound_wamid = $1 AND purpose = 'reply' AND wamid IS NOT NULL`,
      [wamid],
    )) as { wamid: string }[];
    const texts = rows.map((r) => sent.find((s) => s.wamid === r.wamid)?.text);
    if (rows.length && texts.every((x) => x !== undefined)) return texts.join('\n');
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no reply to ${wamid} within 30 s`);
}

function count(xs: string[]): Record<string, number> {
  return xs.reduce<Record<string, number>>((acc, x) => ({ ...acc, [x]: (acc[x] ?? 0) + 1 }), {});
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
