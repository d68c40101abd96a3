import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The price list of the product; the migration keeps the table in line with it. */
const PACKAGES = [
  { code: 'basico', name: 'Básico', tokens: 1_000, priceCents: 2_900, sortOrder: 1 },
  { code: 'estandar', name: 'Estándar', tokens: 3_000, priceCents: 6_900, sortOrder: 2 },
  { code: 'pro', name: 'Pro', tokens: 8_000, priceCents: 14_900, sortOrder: 3 },
  { code: 'empresarial', name: 'Empresarial', tokens: 20_000, priceCents: 29_900, sortOrder: 4 },
];

/**
 * Per-tenant LLM configuration and prepaid tokens.
 *
 * Ledger convention: `tokens` is always a positive magnitude; `available_delta` and
 * `reserved_delta` are the signed effects of the entry on the two balance columns, so
 * tenant_balances.available = Σ available_delta and reserved = Σ reserved_delta at all times
 * (the balance row is a running total kept in the same transaction as each entry). The
 * CHECK below pins the shape of each entry type:
 *   credit      +tokens available                       (a purchase)
 *   reserve     −tokens available, +tokens reserved      (before an LLM call)
 *   release     +tokens available, −tokens reserved      (the unused part, or a dead job's)
 *   debit       −tokens in total, taken from reserved first, then from available
 *   adjustment  ±tokens or 0 on available; 0 = a write-off record (usage the balance could
 *               not cover), never touches reserved
 */
export class Billing1763900000200 implements MigrationInterface {
  name = 'Billing1763900000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenant_llm_config (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
        -- AES-256-GCM: 12-byte IV ‖ 16-byte tag ‖ ciphertext, under the key named by key_id.
        api_key_ciphertext bytea,
        api_key_key_id text,
        api_key_last4 text,
        model_default text,
        model_fallback text[] NOT NULL DEFAULT '{}',
        profile text CHECK (profile IN ('balanced', 'low-latency', 'high-accuracy')),
        max_tokens integer CHECK (max_tokens > 0),
        is_active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tenant_llm_config_key_complete CHECK (
          (api_key_ciphertext IS NULL) = (api_key_key_id IS NULL)
          AND (api_key_ciphertext IS NULL) = (api_key_last4 IS NULL)
        )
      )`);

    await q.query(`
      CREATE TABLE token_packages (
        code text PRIMARY KEY CHECK (code ~ '^[a-z0-9_-]{2,32}$'),
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        tokens integer NOT NULL CHECK (tokens > 0),
        price_cents integer NOT NULL CHECK (price_cents >= 0),
        active boolean NOT NULL DEFAULT true,
        sort_order integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    for (const p of PACKAGES) {
      await q.query(
        `INSERT INTO token_packages (code, name, tokens, price_cents, sort_order, active)
         VALUES ($1, $2, $3, $4, $5, true)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, tokens = EXCLUDED.tokens,
           price_cents = EXCLUDED.price_cents, sort_order = EXCLUDED.sort_order,
           active = true, updated_at = now()`,
        [p.code, p.name, p.tokens, p.priceCents, p.sortOrder],
      );
    }

    await q.query(`
      CREATE TABLE token_purchases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        package_code text NOT NULL REFERENCES token_packages(code),
        tokens integer NOT NULL CHECK (tokens > 0),
        price_cents integer NOT NULL CHECK (price_cents >= 0),
        -- The payment's own id (bank transfer, OXXO, Stripe…): one payment credits once.
        payment_ref text NOT NULL UNIQUE CHECK (length(btrim(payment_ref)) > 0),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX token_purchases_tenant_idx ON token_purchases (tenant_id, created_at)`,
    );

    await q.query(`
      CREATE TABLE tenant_balances (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
        available integer NOT NULL DEFAULT 0,
        reserved integer NOT NULL DEFAULT 0,
        lifetime_purchased integer NOT NULL DEFAULT 0,
        lifetime_used integer NOT NULL DEFAULT 0,
        last_package_tokens integer,
        last_purchase_id uuid REFERENCES token_purchases(id),
        -- The purchase whose low-balance notice was sent (one notice per package bought).
        low_balance_notified_for uuid REFERENCES token_purchases(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tenant_balances_non_negative CHECK (available >= 0 AND reserved >= 0)
      )`);

    await q.query(`
      CREATE TABLE token_reservations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        tokens integer NOT NULL CHECK (tokens > 0),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'settled', 'released')),
        -- released: 'unused' (the call failed), 'expired' (the sweeper), 'duplicate' (usage
        -- already recorded for that call); an expired one can still be settled late.
        release_reason text CHECK (release_reason IN ('unused', 'expired', 'duplicate')),
        used_tokens integer CHECK (used_tokens >= 0),
        reference text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        closed_at timestamptz,
        CONSTRAINT token_reservations_closed CHECK ((status = 'active') = (closed_at IS NULL))
      )`);
    await q.query(
      `CREATE INDEX token_reservations_expiry_idx ON token_reservations (expires_at) WHERE status = 'active'`,
    );
    await q.query(
      `CREATE INDEX token_reservations_tenant_idx ON token_reservations (tenant_id, status)`,
    );

    await q.query(`
      CREATE TABLE token_ledger (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        entry_type text NOT NULL
          CHECK (entry_type IN ('credit', 'reserve', 'release', 'debit', 'adjustment')),
        tokens integer NOT NULL CHECK (tokens > 0),
        available_delta integer NOT NULL,
        reserved_delta integer NOT NULL,
        available_after integer NOT NULL CHECK (available_after >= 0),
        reserved_after integer NOT NULL CHECK (reserved_after >= 0),
        reason text NOT NULL,
        -- Purchase id, inbound wamid or reservation id: whatever explains the entry.
        reference text,
        reservation_id uuid REFERENCES token_reservations(id),
        purchase_id uuid REFERENCES token_purchases(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT token_ledger_entry_shape CHECK (
          (entry_type = 'credit' AND available_delta = tokens AND reserved_delta = 0)
          OR (entry_type = 'reserve' AND available_delta = -tokens AND reserved_delta = tokens)
          OR (entry_type = 'release' AND available_delta = tokens AND reserved_delta = -tokens)
          OR (entry_type = 'debit' AND available_delta <= 0 AND reserved_delta <= 0
              AND available_delta + reserved_delta = -tokens)
          OR (entry_type = 'adjustment' AND reserved_delta = 0
              AND available_delta IN (-tokens, 0, tokens))
        )
      )`);
    await q.query(`CREATE INDEX token_ledger_tenant_idx ON token_ledger (tenant_id, id)`);
    await q.query(`CREATE INDEX token_ledger_reservation_idx ON token_ledger (reservation_id)`);
    // The table owner can always UPDATE/DELETE (REVOKE does not bind the owner): a trigger
    // is the only guard that holds for the application's own role.
    await q.query(`
      CREATE FUNCTION token_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'token_ledger is append-only: % is not allowed', TG_OP
          USING HINT = 'Correct a balance with an adjustment entry.';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER token_ledger_no_update_delete BEFORE UPDATE OR DELETE ON token_ledger
        FOR EACH ROW EXECUTE FUNCTION token_ledger_append_only()`);
    await q.query(`
      CREATE TRIGGER token_ledger_no_truncate BEFORE TRUNCATE ON token_ledger
        FOR EACH STATEMENT EXECUTE FUNCTION token_ledger_append_only()`);

    await q.query(`
      CREATE TABLE token_usage (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        inbound_wamid text,
        operation text NOT NULL CHECK (operation IN ('chat', 'intent', 'transcription', 'test')),
        -- Which LLM call of that message and operation (tool-calling round 0, 1, 2…).
        seq integer NOT NULL DEFAULT 0 CHECK (seq >= 0),
        reservation_id uuid REFERENCES token_reservations(id),
        tokens_prompt integer NOT NULL CHECK (tokens_prompt >= 0),
        tokens_completion integer NOT NULL CHECK (tokens_completion >= 0),
        tokens_total integer NOT NULL CHECK (tokens_total >= 0),
        -- What the balance paid: 0 for uncharged calls (admin tests), less than tokens_total
        -- when part of an overrun could not be covered.
        tokens_charged integer NOT NULL DEFAULT 0 CHECK (tokens_charged >= 0),
        model text NOT NULL,
        cost_usd numeric(14, 8),
        latency_ms integer NOT NULL CHECK (latency_ms >= 0),
        fallback_level text,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- A retried job cannot record (or charge) the same call twice. NULL wamids (calls
        -- outside a message, e.g. admin tests) are distinct and never collide.
        CONSTRAINT token_usage_once UNIQUE (inbound_wamid, operation, seq)
      )`);
    await q.query(`CREATE INDEX token_usage_tenant_idx ON token_usage (tenant_id, created_at)`);

    await q.query(`
      CREATE TABLE purchase_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        package_code text NOT NULL REFERENCES token_packages(code),
        requested_by_wa_id text NOT NULL,
        inbound_wamid text UNIQUE,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'cancelled')),
        purchase_id uuid REFERENCES token_purchases(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT purchase_requests_confirmed CHECK ((status = 'confirmed') = (purchase_id IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX purchase_requests_status_idx ON purchase_requests (status, created_at)`,
    );
    await q.query(
      `CREATE INDEX purchase_requests_tenant_idx ON purchase_requests (tenant_id, package_code) WHERE status = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE purchase_requests`);
    await q.query(`DROP TABLE token_usage`);
    await q.query(`DROP TABLE token_ledger`);
    await q.query(`DROP FUNCTION token_ledger_append_only()`);
    await q.query(`DROP TABLE token_reservations`);
    await q.query(`DROP TABLE tenant_balances`);
    await q.query(`DROP TABLE token_purchases`);
    await q.query(`DROP TABLE token_packages`);
    await q.query(`DROP TABLE tenant_llm_config`);
  }
}
