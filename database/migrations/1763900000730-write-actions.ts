import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Writes from WhatsApp, confirmed with one tap.
 * - pending_actions (actions module): what a message asked to write, normalized, waiting for
 *   the owner's "Sí" for 10 minutes. It moves out of 'pending' exactly once, by a conditional
 *   UPDATE in the transaction that writes the shop's books; 'choosing' while the owner still
 *   has to say which product was meant; 'undone' once reversed by compensating rows.
 * - price_changes (store): every price a product had, with the one it replaced.
 * - sales.voided_at (store): a sale taken back ("deshacer") stays on record, out of the totals;
 *   its stock comes back as 'reversal' movements. Nothing is ever deleted.
 * - tenants.allow_negative_stock: owners sell what arrived before anyone counted it, so by
 *   default a sale may take stock below zero; a shop can refuse that.
 */
export class WriteActions1763900000730 implements MigrationInterface {
  name = 'WriteActions1763900000730';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE tenants ADD COLUMN allow_negative_stock boolean NOT NULL DEFAULT true`,
    );

    await q.query(`ALTER TABLE sales ADD COLUMN voided_at timestamptz`);
    await q.query(`ALTER TABLE sales ADD COLUMN action_id uuid`);
    await q.query(`ALTER TABLE inventory_movements ADD COLUMN action_id uuid`);
    await q.query(
      `ALTER TABLE inventory_movements DROP CONSTRAINT IF EXISTS inventory_movements_reason_check`,
    );
    await q.query(`
      ALTER TABLE inventory_movements ADD CONSTRAINT inventory_movements_reason_check
        CHECK (reason IN ('purchase', 'sale', 'loss', 'adjustment', 'count', 'return', 'reversal'))`);

    await q.query(`
      CREATE TABLE price_changes (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        product_id uuid NOT NULL,
        old_price_cents integer NOT NULL CHECK (old_price_cents >= 0),
        new_price_cents integer NOT NULL CHECK (new_price_cents >= 0),
        action_id uuid,
        note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE INDEX price_changes_tenant_product_idx ON price_changes (tenant_id, product_id, created_at)`,
    );

    await q.query(`
      CREATE TABLE pending_actions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        tenant_user_id uuid NOT NULL REFERENCES tenant_users(id) ON DELETE CASCADE,
        -- The chat it was proposed in (the sender's number, E.164 as tenant_users stores it).
        chat_wa_id text NOT NULL,
        inbound_wamid text NOT NULL,
        kind text NOT NULL
          CHECK (kind IN ('sale', 'stock_in', 'stock_out', 'stock_set', 'price_change')),
        payload jsonb NOT NULL,
        status text NOT NULL
          CHECK (status IN ('choosing', 'pending', 'executed', 'cancelled', 'refused', 'undone')),
        expires_at timestamptz NOT NULL,
        -- The message (tap or "sí") that executed, cancelled or refused it, and when.
        decided_wamid text,
        decided_at timestamptz,
        result jsonb,
        undo_wamid text,
        undone_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- A retried job proposes the same action again, never a second one.
        CONSTRAINT pending_actions_once UNIQUE (tenant_id, inbound_wamid)
      )`);
    await q.query(
      `CREATE INDEX pending_actions_chat_idx ON pending_actions (tenant_id, tenant_user_id, created_at DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE pending_actions`);
    await q.query(`DROP TABLE price_changes`);
    await q.query(
      `ALTER TABLE inventory_movements DROP CONSTRAINT IF EXISTS inventory_movements_reason_check`,
    );
    await q.query(`DELETE FROM inventory_movements WHERE reason IN ('return', 'reversal')`);
    await q.query(`
      ALTER TABLE inventory_movements ADD CONSTRAINT inventory_movements_reason_check
        CHECK (reason IN ('purchase', 'sale', 'loss', 'adjustment', 'count'))`);
    await q.query(`ALTER TABLE inventory_movements DROP COLUMN action_id`);
    await q.query(`ALTER TABLE sales DROP COLUMN action_id`);
    await q.query(`ALTER TABLE sales DROP COLUMN voided_at`);
    await q.query(`ALTER TABLE tenants DROP COLUMN allow_negative_stock`);
  }
}
