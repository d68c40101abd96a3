import { ReservationSweeperService } from '../../src/billing/ledger/reservation-sweeper.service';
import { createTenant } from '../../dev/support/tenants';
import { eventually } from '../../dev/support/app-harness';
import {
  type BillingHarness,
  credit,
  expectLedgerInvariant,
  startBilling,
  usage,
} from './support/billing-harness';

describe('Reservation sweeper (real PostgreSQL)', () => {
  let h: BillingHarness;
  let tenantId: string;

  beforeAll(async () => {
    // A 1 s TTL and a fast sweep so the timer itself is exercised.
    h = await startBilling({
      BILLING_RESERVATION_TTL_SECONDS: '1',
      BILLING_SWEEP_INTERVAL_MS: '200',
    });
  });
  afterAll(() => h?.close());
  beforeEach(async () => {
    tenantId = (await createTenant(h.db)).id;
  });
  afterEach(() => expectLedgerInvariant(h.db, tenantId));

  const reserve = async (reference: string) => {
    const plan = await h.billing.reserveRound(tenantId, {
      promptTokens: 100,
      ceiling: 100,
      reference,
    });
    if ('insufficient' in plan) throw new Error('insufficient');
    return plan.reservation;
  };

  it('gives back reservations whose job died, on its own timer', async () => {
    await credit(h, tenantId);
    const dead = await reserve('wamid.dead:a1:r1');
    expect((await h.billing.getBalance(tenantId)).available).toBe(800);
    await eventually(
      async () => (await h.billing.getBalance(tenantId)).available === 1000,
      5_000,
      'the sweeper to release the reservation',
    );
    const [row] = await h.db.query(
      `SELECT status, release_reason FROM token_reservations WHERE id = $1`,
      [dead.id],
    );
    expect(row).toEqual({ status: 'released', release_reason: 'expired' });
  });

  it('still charges a late settlement of an expired reservation, once', async () => {
    await credit(h, tenantId);
    const late = await reserve('wamid.late:a1:r1');
    await h.db.query(
      `UPDATE token_reservations SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [late.id],
    );
    expect(await h.module.get(ReservationSweeperService).sweep()).toBeGreaterThanOrEqual(0);
    await h.billing.releaseExpired();
    expect(await h.billing.getBalance(tenantId)).toMatchObject({ available: 1000, reserved: 0 });
    const u = usage(150);
    const first = await h.db.transaction((tx) => h.billing.settleRound(tx, late, u));
    const second = await h.db.transaction((tx) => h.billing.settleRound(tx, late, u));
    expect(first).toEqual({ charged: 150, shortfall: 0, skipped: false });
    expect(second.skipped).toBe(true);
    expect(await h.billing.getBalance(tenantId)).toMatchObject({ available: 850, reserved: 0 });
  });

  it('leaves settled and live reservations alone', async () => {
    await credit(h, tenantId);
    const settled = await reserve('wamid.ok:a1:r1');
    await h.db.transaction((tx) => h.billing.settleRound(tx, settled, usage(120)));
    await h.db.query(
      `UPDATE token_reservations SET expires_at = now() + interval '1 hour' WHERE tenant_id = $1`,
      [tenantId],
    );
    const live = await reserve('wamid.live:a1:r1');
    await h.db.query(
      `UPDATE token_reservations SET expires_at = now() + interval '1 hour' WHERE id = $1`,
      [live.id],
    );
    await h.billing.releaseExpired();
    expect(await h.billing.getBalance(tenantId)).toMatchObject({ available: 680, reserved: 200 });
    await h.billing.releaseRound(live);
  });
});
