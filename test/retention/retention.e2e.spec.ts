import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { eventually, startApp, type RunningApp } from '../../dev/support/app-harness';
import { createTenant, type TestTenant } from '../../dev/support/tenants';
import { envelope, newWamid, postWebhook, textMessage } from '../../dev/support/webhook';
import { INBOUND_QUEUE, jobIdFor } from '../../src/inbox/inbound-queue';
import { RetentionService } from '../../src/retention/retention.service';
import { MAINTENANCE_QUEUE } from '../../src/retention/retention.worker';

const DAY = 24 * 3600 * 1000;

/** Real rows of one shop, aged by hand: what retention must blank, delete or leave alone. */
async function seed(db: DataSource, shop: TestTenant) {
  const inbound = async (ageDays: number, status: string) => {
    const wamid = newWamid();
    const at = new Date(Date.now() - ageDays * DAY);
    await db.query(
      `INSERT INTO inbound_messages (wamid, phone_number_id, from_wa_id, contact_name, tenant_id,
         type, text, payload, sent_at, received_at, status)
       VALUES ($1, $2, $3, 'Lupita', $4, 'text', 'vendí 3 cocas', $5, $6, $6, $7)`,
      [
        wamid,
        shop.phoneNumberId,
        shop.ownerWaId,
        shop.id,
        { text: { body: 'vendí 3 cocas' } },
        at,
        status,
      ],
    );
    return wamid;
  };
  const outbound = async (inboundWamid: string, ageDays: number) => {
    await db.query(
      `INSERT INTO outbound_messages (inbound_wamid, tenant_id, phone_number_id, to_wa_id, type,
         text, request, status, created_at)
       VALUES ($1, $2, $3, $4, 'text', 'Listo, 3 cocas', $5, 'delivered', $6)`,
      [
        inboundWamid,
        shop.id,
        shop.phoneNumberId,
        shop.ownerWaId,
        { text: { body: 'Listo, 3 cocas' } },
        new Date(Date.now() - ageDays * DAY),
      ],
    );
  };
  const turn = async (inboundWamid: string, ageHours: number) => {
    await db.query(
      `INSERT INTO conversation_turns (tenant_id, wa_id, role, content, inbound_wamid, created_at)
       VALUES ($1, $2, 'user', 'vendí 3 cocas', $3, $4)`,
      [shop.id, shop.ownerPhone, inboundWamid, new Date(Date.now() - ageHours * 3600 * 1000)],
    );
  };
  const old = await inbound(91, 'processed');
  const oldFailed = await inbound(120, 'failed');
  const oldInFlight = await inbound(95, 'queued'); // still to be answered: untouched
  const recent = await inbound(89, 'processed');
  await outbound(old, 91);
  await outbound(recent, 89);
  await turn(old, 25);
  await turn(recent, 23);
  await turn(oldFailed, 120 * 24);
  return { old, oldFailed, oldInFlight, recent };
}

async function messages(db: DataSource, tenantId: string) {
  const inbound: {
    wamid: string;
    text: string | null;
    payload: object;
    contact_name: string | null;
    status: string;
  }[] = await db.query(
    `SELECT wamid, text, payload, contact_name, status FROM inbound_messages WHERE tenant_id = $1`,
    [tenantId],
  );
  const outbound: {
    inbound_wamid: string;
    text: string | null;
    request: object;
    status: string;
  }[] = await db.query(
    `SELECT inbound_wamid, text, request, status FROM outbound_messages WHERE tenant_id = $1`,
    [tenantId],
  );
  const turns: { inbound_wamid: string; content: string }[] = await db.query(
    `SELECT inbound_wamid, content FROM conversation_turns WHERE tenant_id = $1 ORDER BY created_at`,
    [tenantId],
  );
  return { inbound, outbound, turns };
}

describe('retention pass', () => {
  let t: RunningApp;
  beforeAll(async () => {
    // A long interval: this suite calls the pass itself.
    t = await startApp(
      { RETENTION_INTERVAL_MS: '3600000', INBOUND_RETENTION_DAYS: '90' },
      'worker',
    );
  });
  afterAll(() => t?.close());

  it('blanks bodies and payloads older than INBOUND_RETENTION_DAYS, the words of turns older than a day, and deletes turns with the messages', async () => {
    const shop = await createTenant(t.db);
    const w = await seed(t.db, shop);
    const result = await t.app.get(RetentionService).runOnce();
    // Other suites share the database: at least this shop's rows.
    expect(result.inboundBlanked).toBeGreaterThanOrEqual(2);
    expect(result.outboundBlanked).toBeGreaterThanOrEqual(1);
    expect(result.turnsBlanked).toBeGreaterThanOrEqual(1);
    expect(result.turnsDeleted).toBeGreaterThanOrEqual(1);

    const after = await messages(t.db, shop.id);
    const byWamid = Object.fromEntries(after.inbound.map((m) => [m.wamid, m]));
    const blank = { text: null, payload: {}, contact_name: null };
    expect(byWamid[w.old]).toMatchObject({ ...blank, status: 'processed' });
    expect(byWamid[w.oldFailed]).toMatchObject({ ...blank, status: 'failed' });
    expect(byWamid[w.oldInFlight]).toMatchObject({ text: 'vendí 3 cocas', contact_name: 'Lupita' });
    expect(byWamid[w.recent]).toMatchObject({
      text: 'vendí 3 cocas',
      payload: { text: { body: 'vendí 3 cocas' } },
      contact_name: 'Lupita',
    });
    expect(after.inbound).toHaveLength(4); // rows stay: dedupe by wamid, audit of statuses
    const out = Object.fromEntries(after.outbound.map((m) => [m.inbound_wamid, m]));
    expect(out[w.old]).toMatchObject({ text: null, request: {}, status: 'delivered' });
    expect(out[w.recent]).toMatchObject({ text: 'Listo, 3 cocas', status: 'delivered' });
    // A day old: the words gone, the row kept (cost per conversation counts it); older than
    // INBOUND_RETENTION_DAYS: deleted with the messages.
    expect(after.turns).toEqual([
      { inbound_wamid: w.old, content: '' },
      { inbound_wamid: w.recent, content: 'vendí 3 cocas' },
    ]);

    // Idempotent: a second pass changes nothing of this shop.
    await t.app.get(RetentionService).runOnce();
    expect(await messages(t.db, shop.id)).toEqual(after);
  });

  it('INBOUND_RETENTION_DAYS moves the cutoff', async () => {
    const short = await startApp(
      { INBOUND_RETENTION_DAYS: '30', RETENTION_INTERVAL_MS: '3600000' },
      'worker',
    );
    try {
      const shop = await createTenant(short.db);
      const w = await seed(short.db, shop);
      await short.app.get(RetentionService).runOnce();
      const after = await messages(short.db, shop.id);
      const recent = after.inbound.find((m) => m.wamid === w.recent)!;
      expect(recent).toMatchObject({ text: null, payload: {} });
    } finally {
      await short.close();
    }
  });
});

describe('retention schedule', () => {
  it('is one BullMQ job scheduler across several workers, and runs by itself', async () => {
    const prefix = `${process.env.QUEUE_PREFIX}_ret_${randomBytes(3).toString('hex')}`;
    const env = {
      QUEUE_PREFIX: prefix,
      RETENTION_INTERVAL_MS: '1000',
      INBOUND_RETENTION_DAYS: '90',
    };
    const a = await startApp(env, 'worker');
    const b = await startApp(env, 'worker');
    try {
      const queue = a.app.get<Queue>(getQueueToken(MAINTENANCE_QUEUE));
      const scheduled = async () => (await queue.getJobSchedulers()).map((x) => [x.key, x.every]);
      await eventually(async () => (await scheduled()).length > 0, 5_000, 'the scheduler');
      const shop = await createTenant(a.db);
      const w = await seed(a.db, shop);
      await eventually(
        async () => {
          const [row] = (await a.db.query(`SELECT text FROM inbound_messages WHERE wamid = $1`, [
            w.old,
          ])) as { text: string | null }[];
          return row.text === null;
        },
        15_000,
        'the scheduled pass to blank the old message',
      );
      // Both workers upserted the same scheduler: one schedule in Redis.
      expect(await scheduled()).toEqual([['retention', 1000]]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('failed BullMQ jobs are kept for a bounded time', () => {
  let t: RunningApp;
  beforeAll(async () => {
    t = await startApp({}, 'api'); // no worker: the job stays waiting with its options
  });
  afterAll(() => t?.close());

  it('an inbound job carries removeOnFail with an age and a count', async () => {
    const shop = await createTenant(t.db);
    const msg = textMessage({ from: shop.ownerWaId, text: 'hola' });
    expect(
      (await postWebhook(t.url, envelope({ messages: [msg] }, shop.phoneNumberId))).status,
    ).toBe(200);
    const queue = t.app.get<Queue>(getQueueToken(INBOUND_QUEUE));
    const job = await eventually(() => queue.getJob(jobIdFor(msg.id as string)), 5_000, 'the job');
    expect(job.opts.removeOnFail).toEqual({ age: 7 * 24 * 3600, count: 5_000 });
  });
});
