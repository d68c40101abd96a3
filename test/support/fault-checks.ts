import type { DataSource } from 'typeorm';
import type { FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { eventually } from '../../dev/support/app-harness';

/**
 * What must hold after any fault, for the shops a test created (the run's database is shared
 * by every test file): computed in SQL here, never read from the code under test.
 * - the ledger invariant: each shop's balance (available, reserved) is the sum of its ledger
 *   entries, and nothing is still reserved (a reservation left by a job that died is given
 *   back by the sweeper: the check waits up to `releaseWithinMs` for it, so set
 *   BILLING_RESERVATION_TTL_SECONDS small in a test that kills jobs);
 * - no inbound message left unanswered or stuck: none still received/queued/processing, and
 *   every processed one has its reply;
 * - no duplicate outbound message per inbound, and (with the fake Graph) no reply sent twice:
 *   each sent reply reached the fake once.
 * Returns the figures so a test can print them; throws with every violation found.
 */
export interface AftermathFigures {
  shops: number;
  inbound: number;
  processed: number;
  replies: number;
}

export async function checkAftermath(
  db: DataSource,
  tenantIds: string[],
  options: { graph?: FakeGraphApi; releaseWithinMs?: number } = {},
): Promise<AftermathFigures> {
  const problems: string[] = [];
  await eventually(
    async () => {
      const [r] = (await db.query(
        `SELECT COALESCE(sum(reserved), 0)::int AS n FROM tenant_balances WHERE tenant_id = ANY($1)`,
        [tenantIds],
      )) as { n: number }[];
      return r.n === 0;
    },
    options.releaseWithinMs ?? 30_000,
    'every reservation settled or released',
  ).catch(() => undefined); // reported below, shop by shop

  const ledger: {
    tenant_id: string;
    available: number;
    reserved: number;
    la: number;
    lr: number;
  }[] = await db.query(
    `SELECT b.tenant_id, b.available, b.reserved,
              COALESCE(sum(l.available_delta), 0)::int AS la,
              COALESCE(sum(l.reserved_delta), 0)::int AS lr
         FROM tenant_balances b
         LEFT JOIN token_ledger l ON l.tenant_id = b.tenant_id
        WHERE b.tenant_id = ANY($1)
        GROUP BY b.tenant_id, b.available, b.reserved`,
    [tenantIds],
  );
  for (const r of ledger) {
    if (r.available !== r.la || r.reserved !== r.lr) {
      problems.push(
        `shop ${r.tenant_id}: balance ${r.available}/${r.reserved} but ledger sums ${r.la}/${r.lr}`,
      );
    }
    if (r.reserved !== 0) problems.push(`shop ${r.tenant_id}: ${r.reserved} tokens still reserved`);
  }

  const stuck: { wamid: string; status: string }[] = await db.query(
    `SELECT wamid, status FROM inbound_messages
      WHERE tenant_id = ANY($1) AND status IN ('received', 'queued', 'processing')`,
    [tenantIds],
  );
  for (const s of stuck) problems.push(`inbound ${s.wamid} left ${s.status}`);

  const unanswered: { wamid: string }[] = await db.query(
    `SELECT i.wamid FROM inbound_messages i
      WHERE i.tenant_id = ANY($1) AND i.status = 'processed'
        AND NOT EXISTS (SELECT 1 FROM outbound_messages o
                         WHERE o.inbound_wamid = i.wamid AND o.purpose = 'reply')`,
    [tenantIds],
  );
  for (const u of unanswered) problems.push(`inbound ${u.wamid} processed without a reply`);

  const duplicates: { inbound_wamid: string; purpose: string; n: number }[] = await db.query(
    `SELECT o.inbound_wamid, o.purpose, count(*)::int AS n
       FROM outbound_messages o JOIN inbound_messages i ON i.wamid = o.inbound_wamid
      WHERE i.tenant_id = ANY($1)
      GROUP BY o.inbound_wamid, o.purpose HAVING count(*) > 1`,
    [tenantIds],
  );
  for (const d of duplicates) {
    problems.push(`inbound ${d.inbound_wamid}: ${d.n} outbound '${d.purpose}' messages`);
  }

  const replies: { wamid: string | null; status: string; inbound_wamid: string }[] = await db.query(
    `SELECT o.wamid, o.status, o.inbound_wamid
       FROM outbound_messages o JOIN inbound_messages i ON i.wamid = o.inbound_wamid
      WHERE i.tenant_id = ANY($1) AND o.purpose = 'reply'`,
    [tenantIds],
  );
  if (options.graph) {
    const receipts = new Map<string, number>();
    for (const s of options.graph.sent) receipts.set(s.wamid, (receipts.get(s.wamid) ?? 0) + 1);
    for (const r of replies) {
      if (r.status !== 'sent' && r.status !== 'delivered' && r.status !== 'read') continue;
      const n = r.wamid ? (receipts.get(r.wamid) ?? 0) : 0;
      if (n !== 1) problems.push(`reply to ${r.inbound_wamid}: ${n} receipts at the fake Graph`);
    }
  }

  const [counts] = (await db.query(
    `SELECT count(*)::int AS inbound, count(*) FILTER (WHERE status = 'processed')::int AS processed
       FROM inbound_messages WHERE tenant_id = ANY($1)`,
    [tenantIds],
  )) as { inbound: number; processed: number }[];
  if (problems.length > 0) {
    throw new Error(`aftermath check failed:\n  ${problems.slice(0, 30).join('\n  ')}`);
  }
  return { shops: ledger.length, ...counts, replies: replies.length };
}

/**
 * Per answer, what the shop paid: one debit per charged LLM call (token_usage row with
 * tokens_charged > 0), no reservation debited twice, and the debits of a message equal the
 * tokens its recorded calls were charged. Returns the debit total per inbound wamid.
 */
export async function chargesPerAnswer(
  db: DataSource,
  wamids: string[],
): Promise<Map<string, { debits: number; tokens: number; calls: number }>> {
  const twice: { reservation_id: string; n: number }[] = await db.query(
    `SELECT reservation_id, count(*)::int AS n FROM token_ledger
      WHERE entry_type = 'debit' AND split_part(reference, ':', 1) = ANY($1)
      GROUP BY reservation_id HAVING count(*) > 1`,
    [wamids],
  );
  if (twice.length > 0) throw new Error(`reservations debited twice: ${JSON.stringify(twice)}`);
  const rows: {
    wamid: string;
    debits: number;
    debited: number;
    calls: number;
    charged_calls: number;
    charged: number;
  }[] = await db.query(
    `WITH d AS (
       SELECT split_part(reference, ':', 1) AS wamid, count(*)::int AS debits,
              sum(tokens)::int AS debited
         FROM token_ledger WHERE entry_type = 'debit' AND split_part(reference, ':', 1) = ANY($1)
        GROUP BY 1),
     u AS (
       SELECT inbound_wamid AS wamid, count(*)::int AS calls,
              count(*) FILTER (WHERE tokens_charged > 0)::int AS charged_calls,
              sum(tokens_charged)::int AS charged
         FROM token_usage WHERE inbound_wamid = ANY($1) GROUP BY 1)
     SELECT w AS wamid, COALESCE(d.debits, 0) AS debits, COALESCE(d.debited, 0) AS debited,
            COALESCE(u.calls, 0) AS calls, COALESCE(u.charged_calls, 0) AS charged_calls,
            COALESCE(u.charged, 0) AS charged
       FROM unnest($1::text[]) AS w LEFT JOIN d ON d.wamid = w LEFT JOIN u ON u.wamid = w`,
    [wamids],
  );
  const problems = rows.filter((r) => r.debits !== r.charged_calls || r.debited !== r.charged);
  if (problems.length > 0) {
    throw new Error(`debits do not match recorded calls: ${JSON.stringify(problems.slice(0, 5))}`);
  }
  return new Map(
    rows.map((r) => [r.wamid, { debits: r.debits, tokens: r.debited, calls: r.calls }]),
  );
}
