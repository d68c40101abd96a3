import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Purchases stored before paymentRefs were normalized get the form new ones have (NFKC,
 * without control/format characters, trimmed, upper-case), so a payment typed differently
 * again ("spei-1" after "SPEI-1") finds its purchase instead of crediting twice.
 *
 * Refs that collide once normalized were the double credits this closes: both rows are kept
 * (both credits happened and are in the ledger; undoing one is an adjustment an operator
 * decides). The oldest purchase gets the normalized ref; each later one is marked
 * `<normalized> [duplicate <its id>]`: lower-case, so no normalized ref can ever equal it, and
 * listed by `SELECT … WHERE payment_ref LIKE '% [duplicate %'`. The migration also prints them.
 * A ref that normalizes to nothing becomes `[empty <id>]`.
 *
 * The ledger is not touched: token_ledger is append-only (its triggers refuse UPDATE even to
 * this owner), and a credit's `reference` records the ref as it was typed when the credit was
 * made; the entry's purchase_id points at the purchase, which holds the normalized ref.
 *
 * The normalization is copied here, not imported, so this migration keeps doing what it did
 * when it shipped (test/database/payment-refs.migration.spec.ts checks both agree today).
 */
export function normalizeRefV1(ref: string): string {
  return ref
    .normalize('NFKC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .toUpperCase();
}

export class NormalizePaymentRefs1763900000741 implements MigrationInterface {
  name = 'NormalizePaymentRefs1763900000741';

  async up(q: QueryRunner): Promise<void> {
    const rows: { id: string; payment_ref: string }[] = await q.query(
      `SELECT id, payment_ref FROM token_purchases ORDER BY created_at, id FOR UPDATE`,
    );
    const seen = new Set<string>();
    const changes: { id: string; from: string; to: string }[] = [];
    const duplicates: string[] = [];
    for (const r of rows) {
      const normalized = normalizeRefV1(r.payment_ref);
      let to: string;
      if (normalized === '') to = `[empty ${r.id}]`;
      else if (seen.has(normalized)) {
        to = `${normalized} [duplicate ${r.id}]`;
        duplicates.push(`${r.id} (${JSON.stringify(r.payment_ref)} → ${normalized})`);
      } else {
        to = normalized;
        seen.add(normalized);
      }
      if (to !== r.payment_ref) changes.push({ id: r.id, from: r.payment_ref, to });
    }
    if (changes.length === 0) return;
    // Two steps, so a row taking a ref another changing row still holds never trips UNIQUE.
    const ids = changes.map((c) => c.id);
    await q.query(
      `UPDATE token_purchases SET payment_ref = '[renaming ' || id::text || ']' WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    await q.query(
      `UPDATE token_purchases p SET payment_ref = c.ref
         FROM unnest($1::uuid[], $2::text[]) AS c(id, ref) WHERE p.id = c.id`,
      [ids, changes.map((c) => c.to)],
    );
    console.log(`Normalized ${changes.length} payment reference(s)`);
    if (duplicates.length > 0) {
      console.warn(
        `Payment references that were the same payment once normalized (kept, marked [duplicate]; both were credited): ${duplicates.join('; ')}`,
      );
    }
  }

  async down(): Promise<void> {
    // The refs as typed are not kept (the ledger's credit entries still show them): nothing to undo.
  }
}
