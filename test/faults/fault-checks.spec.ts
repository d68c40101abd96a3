import type { DataSource } from 'typeorm';
import { createTenant } from '../../dev/support/tenants';
import { newWamid } from '../../dev/support/webhook';
import { testDb } from '../support/burst';
import { chargesPerAnswer, checkAftermath } from '../support/fault-checks';

/** The shared aftermath check catches what it is meant to catch (so a green run means something). */
describe('checkAftermath / chargesPerAnswer', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await testDb();
  });
  afterAll(async () => {
    await db?.destroy();
  });

  const inbound = async (tenantId: string, status: string) => {
    const wamid = newWamid();
    await db.query(
      `INSERT INTO inbound_messages (wamid, phone_number_id, from_wa_id, tenant_id, type, text, payload, sent_at, status)
       VALUES ($1, '1', '5215500000000', $2, 'text', 'hola', '{}', now(), $3)`,
      [wamid, tenantId, status],
    );
    return wamid;
  };

  it('passes on a clean shop and reports each kind of violation', async () => {
    const clean = await createTenant(db);
    await expect(checkAftermath(db, [clean.id])).resolves.toMatchObject({ inbound: 0 });

    const shop = await createTenant(db);
    const stuck = await inbound(shop.id, 'processing');
    const unanswered = await inbound(shop.id, 'processed');
    // A balance that no ledger entry explains.
    await db.query(`INSERT INTO tenant_balances (tenant_id, available) VALUES ($1, 500)`, [
      shop.id,
    ]);
    const error = await checkAftermath(db, [shop.id], { releaseWithinMs: 0 }).catch(
      (e: Error) => e.message,
    );
    expect(error).toContain(`inbound ${stuck} left processing`);
    expect(error).toContain(`inbound ${unanswered} processed without a reply`);
    expect(error).toContain('balance 500/0 but ledger sums 0/0');
  });

  it('reports a sent reply that reached the fake Graph twice', async () => {
    const shop = await createTenant(db);
    const wamid = await inbound(shop.id, 'processed');
    await db.query(
      `INSERT INTO outbound_messages (inbound_wamid, tenant_id, phone_number_id, to_wa_id, type, request, wamid, status)
       VALUES ($1, $2, '1', '5215500000000', 'text', '{}', $3, 'sent')`,
      [wamid, shop.id, `${wamid}.out`],
    );
    const sent = { wamid: `${wamid}.out` } as never;
    await expect(
      checkAftermath(db, [shop.id], { graph: { sent: [sent] } as never }),
    ).resolves.toMatchObject({ replies: 1 });
    const error = await checkAftermath(db, [shop.id], {
      graph: { sent: [sent, sent] } as never,
    }).catch((e: Error) => e.message);
    expect(error).toContain(`reply to ${wamid}: 2 receipts at the fake Graph`);
    // No usage and no debit: consistent, zero charges.
    expect((await chargesPerAnswer(db, [wamid])).get(wamid)).toEqual({
      debits: 0,
      tokens: 0,
      calls: 0,
    });
  });
});
