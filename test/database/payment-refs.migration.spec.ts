import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../../database/migrations';
import {
  NormalizePaymentRefs1763900000741,
  normalizeRefV1,
} from '../../database/migrations/1763900000741-normalize-payment-refs';
import { ADMIN_DB_URL, databaseUrlFor, dropDatabase } from '../../dev/support/database';
import { normalizePaymentRef } from '../../src/billing/packages/payment-ref';
import { dataSourceOptions } from '../../src/database/data-source-options';

/** Purchases stored before paymentRefs were normalized: normalized like new ones, duplicates kept and marked. */
describe('migration NormalizePaymentRefs1763900000741 (existing purchases)', () => {
  const index = migrations.indexOf(NormalizePaymentRefs1763900000741);
  let name: string;
  let ds: DataSource;
  let tenantId: string;

  beforeAll(async () => {
    name = `changarrito_mig_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: ADMIN_DB_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    ds = await new DataSource({
      ...dataSourceOptions(databaseUrlFor(name)),
      migrations: migrations.slice(0, index),
    }).initialize();
    await ds.runMigrations({ transaction: 'each' });
    const [t] = (await ds.query(`INSERT INTO tenants (name) VALUES ('T') RETURNING id`)) as {
      id: string;
    }[];
    tenantId = t.id;
  });
  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(name);
  });

  /** A purchase as the old code stored it (ref as typed) and its ledger credit. */
  async function purchase(ref: string, minutesAgo: number): Promise<string> {
    const [p] = (await ds.query(
      `INSERT INTO token_purchases (tenant_id, package_code, tokens, price_cents, payment_ref,
         created_by, created_at)
       VALUES ($1, 'basico', 100, 1000, $2, 'admin', now() - make_interval(mins => $3))
       RETURNING id`,
      [tenantId, ref, minutesAgo],
    )) as { id: string }[];
    const [{ n }] = (await ds.query(
      `SELECT coalesce(sum(available_delta), 0)::int AS n FROM token_ledger WHERE tenant_id = $1`,
      [tenantId],
    )) as { n: number }[];
    await ds.query(
      `INSERT INTO token_ledger (tenant_id, entry_type, tokens, available_delta, reserved_delta,
         available_after, reserved_after, reason, reference, purchase_id)
       VALUES ($1, 'credit', 100, 100, 0, $2, 0, 'package basico', $3, $4)`,
      [tenantId, n + 100, ref, p.id],
    );
    return p.id;
  }

  it('normalizes refs, keeps colliding purchases marked, leaves the ledger as written', async () => {
    const typed = {
      first: 'spei-1', // oldest of the collision: gets the normalized ref
      again: 'SPEI\u200b-1 ', // the same payment typed again: a double credit, marked
      third: 'ｓｐｅｉ-1', // full-width, the same payment a third time
      oxxo: '\u00adoxxo-7\t',
      clean: 'SPEI-2',
      empty: '\u200b\u200d',
    };
    const ids = {
      first: await purchase(typed.first, 50),
      again: await purchase(typed.again, 40),
      third: await purchase(typed.third, 30),
      oxxo: await purchase(typed.oxxo, 20),
      clean: await purchase(typed.clean, 10),
      empty: await purchase(typed.empty, 5),
    };
    const ledgerBefore = await ds.query(
      `SELECT id, reference, purchase_id FROM token_ledger WHERE tenant_id = $1 ORDER BY id`,
      [tenantId],
    );

    await new DataSource({ ...dataSourceOptions(databaseUrlFor(name)), migrations })
      .initialize()
      .then(async (full) => {
        try {
          await full.runMigrations({ transaction: 'each' });
        } finally {
          await full.destroy();
        }
      });

    const rows = (await ds.query(
      `SELECT id, payment_ref FROM token_purchases WHERE tenant_id = $1`,
      [tenantId],
    )) as { id: string; payment_ref: string }[];
    const ref = Object.fromEntries(rows.map((r) => [r.id, r.payment_ref]));
    expect(ref[ids.first]).toBe('SPEI-1');
    expect(ref[ids.again]).toBe(`SPEI-1 [duplicate ${ids.again}]`);
    expect(ref[ids.third]).toBe(`SPEI-1 [duplicate ${ids.third}]`);
    expect(ref[ids.oxxo]).toBe('OXXO-7');
    expect(ref[ids.clean]).toBe('SPEI-2');
    expect(ref[ids.empty]).toBe(`[empty ${ids.empty}]`);
    expect(rows).toHaveLength(6); // nothing deleted
    // The ledger is append-only: its credit entries keep the ref as it was typed.
    expect(
      await ds.query(
        `SELECT id, reference, purchase_id FROM token_ledger WHERE tenant_id = $1 ORDER BY id`,
        [tenantId],
      ),
    ).toEqual(ledgerBefore);
    // A marked duplicate can never be what a normalized ref is looked up as.
    for (const id of [ids.again, ids.third]) {
      expect(normalizePaymentRef(ref[id])).not.toBe(ref[id]);
    }
    // The next time "spei-1" is typed it is the oldest purchase's ref (UNIQUE holds).
    await expect(
      ds.query(
        `INSERT INTO token_purchases (tenant_id, package_code, tokens, price_cents, payment_ref, created_by)
         VALUES ($1, 'basico', 100, 1000, $2, 'admin')`,
        [tenantId, normalizePaymentRef('spei-1')],
      ),
    ).rejects.toThrow(/unique/i);
  });

  it.each([
    'spei-1',
    ' SPEI\u200b-1\u0000 ',
    'ｓｐｅｉ-１',
    '\u202eoxxo\u2066',
    'ﬁ-9',
    'Ǆ',
    'straße',
  ])('the frozen copy normalizes %j like the app does today', (raw) => {
    expect(normalizeRefV1(raw)).toBe(normalizePaymentRef(raw));
  });
});
