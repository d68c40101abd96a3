/**
 * Assistant benchmark: `npm run bench:assistant`.
 *
 * What a read question costs the shop, and how long the owner waits. Boots the real app
 * (APP_ROLE=all) against a database of its own, seeds the demo shop, sells it a package and
 * asks typical read questions one after another through the signed webhook, against the fake
 * OpenRouter (deterministic model; tokens counted as chars/4 like a real tokenizer in size)
 * and the fake Graph API. For each answer it reads what the ledger recorded (token_usage).
 *
 * Target: ≤ 500 total tokens per answered read question (the product's alert threshold).
 * Baselines measured in the same run:
 *   - zero-token answers (saludo, ayuda, saldo): the pipeline's own latency without the LLM;
 *   - the prompt size if every tool were offered to every question (what intent routing saves).
 *
 * Response cache: the passes above run with the shop's cache off (so they stay comparable
 * with earlier results); then a mix of the read questions in which every third answer
 * repeats an earlier question (repeat rate stated in the result, no data change in between)
 * is asked with the cache off and then on: tokens per answer without → with the cache; and
 * once more with the cache on and a sale rung up every SALE_EVERY answers (a selling day: the
 * data in the key changes, so some repeats are computed again).
 *
 * Writes bench/results/assistant.json. Knobs: BENCH_ROUNDS=3 (passes over the questions;
 * 1 with BENCH_QUICK=1).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { DEMO_OWNER_WA_ID, DEMO_PHONE_NUMBER_ID, seedDemo } from '../database/seeds/demo';
import { ToolsService } from '../src/tools/tools.service';
import { TenantSettingsService } from '../src/tenants/settings/tenant-settings.service';
import { startFakeGraphApi } from '../dev/fakes/fake-graph-api';
import { startFakeOpenRouter } from '../dev/fakes/fake-openrouter';
import { estimatePromptTokens } from '../dev/fakes/openrouter/usage';
import { deleteKeys } from '../dev/support/redis-keys';
import { createMigratedDatabase, dropDatabase } from '../dev/support/database';
import { sellPackage } from '../dev/support/admin';
import { startApp } from '../dev/support/app-harness';
import { envelope, newWamid, postWebhook, textMessage } from '../dev/support/webhook';
import { QUICK, startRun, writeResult } from './support/run-info';

const READ_QUESTIONS = [
  '¿cuánto vendí hoy?',
  '¿y ayer?',
  'cuanto vendi esta semana',
  '¿qué fue lo que más vendí este mes?',
  '¿cuántas cocas me quedan?',
  '¿qué me falta surtir?',
  '¿cuánto gané hoy?',
  'cuanto gane el mes pasado',
  '¿a cómo tengo el aceite?',
  'precio de la maruchan',
  'cuantas sabritas tengo',
  '¿cuánto vendí el sábado?',
  '¿cuánto vendí de coca hoy?',
  'cuantas coca light vendi ayer',
  'cuanto gane con la coca de 2 litros esta semana',
  'cuantos tickets llevo hoy',
  '¿qué producto me dejó más dinero este mes?',
];
const ZERO_TOKEN = ['hola', 'ayuda', '¿cuántos tokens me quedan?'];
/** Not reads: a change request and short replies, which must cost nothing. */
const NOT_READS = ['sube la coca a 20 pesos', 'llegaron 24 cocas', 'ok', '❤️'];

/**
 * The same harness at d6573d0 (before issue [6]), same questions, BENCH_ROUNDS=3: product
 * questions took two rounds (and got the shop's totals), "sube la coca" got the current
 * price and "❤️" went to the LLM.
 */
const BEFORE = {
  commit: 'd6573d0',
  original12: { mean: 230, p95: 298, max: 298 },
  reads: { mean: 331.9, p95: 815, max: 815, roundsPerAnswer: 1.18 },
  notReads: { 'sube la coca a 20 pesos': 225, 'llegaron 24 cocas': 0, ok: 0, '❤️': 583 },
};
const TARGET_TOKENS = 500;
/** In the cache's "selling day" pass, a sale is rung up after this many answers. */
const SALE_EVERY = 5;

interface Answer {
  text: string;
  question: string;
  latencyMs: number;
  tokens: number;
  rounds: number;
  level: string;
}

async function main(): Promise<void> {
  const info = startRun('assistant');
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
  const rounds = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));

  const dbName = `changarrito_bench_${randomBytes(4).toString('hex')}`;
  process.env.DATABASE_URL = await createMigratedDatabase(dbName);
  process.env.QUEUE_PREFIX = `bench_${randomBytes(4).toString('hex')}`;
  const graph = await startFakeGraphApi();
  const llm = await startFakeOpenRouter();
  const t = await startApp({
    WHATSAPP_API_BASE_URL: graph.baseUrl,
    OPENROUTER_BASE_URL: llm.baseUrl,
  });
  try {
    const shop = await seedDemo(t.db);
    const owner = DEMO_OWNER_WA_ID;
    // 20,000 tokens each: the rounds, the mixes and the warm-up spend ~25,000, and a shop out
    // of tokens answers level 2 for 0 tokens, which would read as cache hits.
    for (let i = 0; i < 4; i++) await sellPackage(t, shop.tenantId, 'empresarial');
    const settings = t.app.get(TenantSettingsService);
    await settings.update(shop.tenantId, { responseCacheEnabled: false });

    const ask = async (question: string): Promise<Answer> => {
      const wamid = newWamid();
      const started = performance.now();
      await postWebhook(
        t.url,
        envelope(
          { messages: [textMessage({ from: owner, text: question, wamid })] },
          DEMO_PHONE_NUMBER_ID,
        ),
      );
      // The reply to this message, found by the id Meta gave it (not by arrival order).
      let sent: { text: string } | undefined;
      const deadline = Date.now() + 30_000;
      while (!sent) {
        if (Date.now() > deadline) {
          const [row] = (await t.db.query(
            `SELECT status, ignore_reason FROM inbound_messages WHERE wamid = $1`,
            [wamid],
          )) as { status: string; ignore_reason: string | null }[];
          throw new Error(`no reply to "${question}" within 30 s (${JSON.stringify(row)})`);
        }
        const [row] = (await t.db.query(
          `SELECT wamid FROM outbound_messages
            WHERE inbound_wamid = $1 AND purpose = 'reply' AND wamid IS NOT NULL`,
          [wamid],
        )) as { wamid: string }[];
        sent = row && graph.sent.find((s) => s.wamid === row.wamid);
        if (!sent) await new Promise((r) => setTimeout(r, 2));
      }
      const latencyMs = performance.now() - started;
      const usage = (await t.db.query(
        `SELECT COALESCE(SUM(tokens_total), 0)::int AS tokens, COUNT(*)::int AS rounds
           FROM token_usage WHERE inbound_wamid = $1`,
        [wamid],
      )) as { tokens: number; rounds: number }[];
      const [out] = (await t.db.query(
        `SELECT fallback_level FROM outbound_messages WHERE inbound_wamid = $1 AND purpose = 'reply'`,
        [wamid],
      )) as { fallback_level: string }[];
      return {
        question,
        text: sent.text,
        latencyMs,
        tokens: usage[0].tokens,
        rounds: usage[0].rounds,
        level: out.fallback_level,
      };
    };

    /** A read answered at level 1 (by the model or the cache), not the level-2 fallback. */
    const llmAnswered = (a: Answer): Answer => {
      if (a.level !== '1') {
        throw new Error(`"${a.question}" answered at level ${a.level}: the figures would lie`);
      }
      return a;
    };

    // Warm-up: first queries compile plans and fill pools.
    for (const q of [...READ_QUESTIONS.slice(0, 3), ...ZERO_TOKEN]) await ask(q);

    const answers: Answer[] = [];
    const direct: Answer[] = [];
    const notReads: Answer[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const q of READ_QUESTIONS) answers.push(await ask(q));
      for (const q of ZERO_TOKEN) direct.push(await ask(q));
      for (const q of NOT_READS) notReads.push(await ask(q));
    }

    // The cache on a realistic mix: after every two new questions, one asked again.
    const mix: string[] = [];
    READ_QUESTIONS.forEach((q, i) => {
      mix.push(q);
      if (i % 2 === 1) mix.push(READ_QUESTIONS[(i * 7) % (i + 1)]);
    });
    const repeats = mix.length - new Set(mix).size;
    const mixTokens = async (): Promise<number[]> => {
      const out: number[] = [];
      for (const q of mix) out.push(llmAnswered(await ask(q)).tokens);
      return out;
    };
    const withoutCache = await mixTokens();
    await settings.update(shop.tenantId, { responseCacheEnabled: true });
    const withCache = await mixTokens();
    // The same mix through a selling day: a sale is rung up before the mix and after every
    // SALE_EVERY answers, so the sales (and stock) data in the cached answers' keys changes
    // and those answers are computed again, as on a real counter.
    const sell = async (): Promise<void> => {
      const [p] = (await t.db.query(
        `SELECT id, price_cents, cost_cents FROM products WHERE tenant_id = $1 AND is_active
          ORDER BY random() LIMIT 1`,
        [shop.tenantId],
      )) as { id: string; price_cents: number; cost_cents: number }[];
      const [sale] = (await t.db.query(
        `INSERT INTO sales (tenant_id, sold_at, total_cents, cost_cents, item_count, source)
         VALUES ($1, now(), $2, $3, 1, 'pos') RETURNING id`,
        [shop.tenantId, p.price_cents, p.cost_cents],
      )) as { id: string }[];
      await t.db.query(
        `INSERT INTO sale_items (tenant_id, sale_id, product_id, quantity, unit_price_cents,
           unit_cost_cents, subtotal_cents) VALUES ($1, $2, $3, 1, $4, $5, $4)`,
        [shop.tenantId, sale.id, p.id, p.price_cents, p.cost_cents],
      );
      await t.db.query(`UPDATE products SET stock = stock - 1 WHERE id = $1`, [p.id]);
    };
    // Starts empty like the pass before it: what that pass cached would answer for free.
    const redis = new Redis(process.env.REDIS_URL!);
    await deleteKeys(redis, `${t.queuePrefix}:answer:*`).finally(() => redis.disconnect());
    await sell();
    const withCacheAndSales: number[] = [];
    for (const [i, q] of mix.entries()) {
      withCacheAndSales.push(llmAnswered(await ask(q)).tokens);
      if ((i + 1) % SALE_EVERY === 0) await sell();
    }
    await settings.update(shop.tenantId, { responseCacheEnabled: false });
    const cache = {
      mixAnswers: mix.length,
      repeatRate: round((100 * repeats) / mix.length),
      ttlSeconds: 600,
      tokensPerAnswer: {
        withoutCache: { mean: round(mean(withoutCache)), p95: percentile(withoutCache, 95) },
        withCache: { mean: round(mean(withCache)), p95: percentile(withCache, 95) },
        withCacheAndSales: {
          mean: round(mean(withCacheAndSales)),
          p95: percentile(withCacheAndSales, 95),
        },
      },
      saleEveryAnswers: SALE_EVERY,
      zeroTokenAnswers: {
        withoutCache: withoutCache.filter((x) => x === 0).length,
        withCache: withCache.filter((x) => x === 0).length,
        withCacheAndSales: withCacheAndSales.filter((x) => x === 0).length,
      },
    };

    // What offering every tool would add to each prompt (the routing baseline).
    const tools = t.app.get(ToolsService);
    const allTools = tools.definitionsFor(tools.toolsForIntent('otro'));
    const salesTools = tools.definitionsFor(tools.toolsForIntent('ventas'));
    const schemaTokens = (defs: unknown[]) =>
      estimatePromptTokens({ messages: [], tools: defs as never });

    const tokens = answers.map((a) => a.tokens);
    const summary = {
      tokenCounting: 'fake OpenRouter: chars/4 + 4 per message (deterministic)',
      questions: READ_QUESTIONS.length,
      answers: answers.length,
      targetTokensPerAnswer: TARGET_TOKENS,
      tokensPerAnswer: {
        mean: round(mean(tokens)),
        p50: percentile(tokens, 50),
        p95: percentile(tokens, 95),
        max: Math.max(...tokens),
        withinTarget: answers.filter((a) => a.tokens <= TARGET_TOKENS).length,
      },
      roundsPerAnswer: round(mean(answers.map((a) => a.rounds))),
      originalTwelve: (() => {
        const t = answers
          .filter((a) => READ_QUESTIONS.indexOf(a.question) < 12)
          .map((a) => a.tokens);
        return { mean: round(mean(t)), p95: percentile(t, 95), max: Math.max(...t) };
      })(),
      notReads: Object.fromEntries(
        NOT_READS.map((q) => [q, notReads.find((a) => a.question === q)?.tokens ?? null]),
      ),
      before: BEFORE,
      levels: count(answers.map((a) => a.level)),
      latencyMs: stats(answers.map((a) => a.latencyMs)),
      baseline: {
        zeroTokenLatencyMs: stats(direct.map((a) => a.latencyMs)),
        zeroTokenTokens: direct.reduce((s, a) => s + a.tokens, 0),
        toolSchemaTokens: {
          allTools: schemaTokens(allTools),
          ventasOnly: schemaTokens(salesTools),
        },
      },
      cache,
      perQuestion: READ_QUESTIONS.map((q) => {
        const mine = answers.filter((a) => a.question === q);
        return {
          question: q,
          tokens: mine[0].tokens,
          rounds: mine[0].rounds,
          level: mine[0].level,
          latencyMs: round(mean(mine.map((a) => a.latencyMs))),
          answer: mine[0].text,
        };
      }),
    };

    console.log('\nquestion                                   tokens rounds level  ms   answer');
    for (const p of summary.perQuestion) {
      console.log(
        `${p.question.padEnd(42)} ${String(p.tokens).padStart(6)} ${String(p.rounds).padStart(6)} ${p.level.padStart(5)} ${String(p.latencyMs).padStart(5)}  ${p.answer.replace(/\n/g, ' ').slice(0, 70)}`,
      );
    }
    console.log(
      `\ntokens per answered read question: mean ${summary.tokensPerAnswer.mean}, p95 ${summary.tokensPerAnswer.p95}, max ${summary.tokensPerAnswer.max} (target ≤ ${TARGET_TOKENS}; ${summary.tokensPerAnswer.withinTarget}/${answers.length} within)`,
    );
    console.log(
      `before (${BEFORE.commit}): mean ${BEFORE.reads.mean}, p95 ${BEFORE.reads.p95}; the first 12 questions: ${summary.originalTwelve.mean} / ${summary.originalTwelve.p95} (before ${BEFORE.original12.mean} / ${BEFORE.original12.p95})`,
    );
    console.log(
      `not reads (tokens): ${NOT_READS.map((q) => `${q} ${summary.notReads[q]} (before ${BEFORE.notReads[q as keyof typeof BEFORE.notReads]})`).join(' · ')}`,
    );
    console.log(
      `latency webhook → reply: p50 ${summary.latencyMs.p50} ms, p95 ${summary.latencyMs.p95} ms (fake LLM answers instantly)`,
    );
    console.log(
      `baseline zero-token answers: p50 ${summary.baseline.zeroTokenLatencyMs.p50} ms, p95 ${summary.baseline.zeroTokenLatencyMs.p95} ms, ${summary.baseline.zeroTokenTokens} tokens`,
    );
    console.log(
      `baseline tool schemas: all tools ${summary.baseline.toolSchemaTokens.allTools} tokens vs ventas tools ${summary.baseline.toolSchemaTokens.ventasOnly}`,
    );
    console.log(
      `response cache on a mix of ${cache.mixAnswers} answers, ${cache.repeatRate} % repeats: tokens per answer mean ${cache.tokensPerAnswer.withoutCache.mean} → ${cache.tokensPerAnswer.withCache.mean} (p95 ${cache.tokensPerAnswer.withoutCache.p95} → ${cache.tokensPerAnswer.withCache.p95}), zero-token answers ${cache.zeroTokenAnswers.withoutCache} → ${cache.zeroTokenAnswers.withCache}`,
    );
    console.log(
      `  the same mix with a sale every ${SALE_EVERY} answers (cache on): tokens per answer mean ${cache.tokensPerAnswer.withCacheAndSales.mean} (p95 ${cache.tokensPerAnswer.withCacheAndSales.p95}), zero-token answers ${cache.zeroTokenAnswers.withCacheAndSales}`,
    );
    writeResult(
      'assistant',
      info,
      [
        {
          figure: `assistant tokens per read answer (max; p95 ${summary.tokensPerAnswer.p95})`,
          value: summary.tokensPerAnswer.max,
          unit: 'tokens',
          target: `≤ ${TARGET_TOKENS} each`,
          baseline: `every tool offered: +${summary.baseline.toolSchemaTokens.allTools - summary.baseline.toolSchemaTokens.ventasOnly} schema tokens/prompt`,
          pass: summary.tokensPerAnswer.max <= TARGET_TOKENS,
        },
        {
          figure: `assistant tokens per answer with the response cache (${cache.repeatRate} % repeats)`,
          value: cache.tokensPerAnswer.withCache.mean,
          unit: 'tokens',
          target: null,
          baseline: `without the cache: ${cache.tokensPerAnswer.withoutCache.mean}; with a sale every ${SALE_EVERY} answers: ${cache.tokensPerAnswer.withCacheAndSales.mean}`,
          pass: null,
        },
        {
          figure: 'assistant webhook → reply latency p50 (instant fake LLM)',
          value: summary.latencyMs.p50,
          unit: 'ms',
          target: null,
          baseline: `zero-token answers p50 ${summary.baseline.zeroTokenLatencyMs.p50} ms`,
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

function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
}
function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);
}
function stats(xs: number[]) {
  return { p50: percentile(xs, 50), p95: percentile(xs, 95), max: round(Math.max(...xs)) };
}
function round(x: number): number {
  return Math.round(x * 10) / 10;
}
function count(xs: string[]): Record<string, number> {
  return xs.reduce<Record<string, number>>((acc, x) => ({ ...acc, [x]: (acc[x] ?? 0) + 1 }), {});
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
