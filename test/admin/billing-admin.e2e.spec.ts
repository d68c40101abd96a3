import { TokenLedgerService } from '../../src/billing/ledger/token-ledger.service';
import { PackagesService } from '../../src/billing/packages/packages.service';
import { expectLedgerInvariant } from '../billing/support/billing-harness';
import { createTenant } from '../../dev/support/tenants';
import { startApp, type RunningApp } from '../../dev/support/app-harness';
import { api } from '../../dev/support/admin-api';

interface PurchaseBody {
  purchase: {
    id: string;
    tokens: number;
    priceCents: number;
    packageCode: string;
    paymentRef: string;
  };
  balance: { available: number; reserved: number; lifetimePurchased: number; lifetimeUsed: number };
}

describe('Admin API: packages, purchases, balance, usage, ledger (e2e, real PostgreSQL)', () => {
  let t: RunningApp;
  let tenantId: string;
  const touched = new Set<string>();

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());
  beforeEach(async () => {
    tenantId = (await createTenant(t.db)).id;
    touched.add(tenantId);
  });
  afterEach(async () => {
    for (const id of touched) await expectLedgerInvariant(t.db, id);
    touched.clear();
  });

  const buy = (body: unknown, id = tenantId) =>
    api<PurchaseBody>(t, 'POST', `/admin/tenants/${id}/purchases`, { body });

  it('lists the packages with prices in cents', async () => {
    const res = await api<{ code: string; tokens: number; priceCents: number }[]>(
      t,
      'GET',
      '/admin/packages',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'basico', name: 'Básico', tokens: 1000, priceCents: 2900 }),
        expect.objectContaining({ code: 'empresarial', tokens: 20000, priceCents: 29900 }),
      ]),
    );
  });

  it('credits a purchase (201), returns the same one on repeat (200), 409 on reuse elsewhere', async () => {
    const first = await buy({ packageCode: 'pro', paymentRef: 'SPEI-0001-A' });
    expect(first.status).toBe(201);
    expect(first.body.purchase).toMatchObject({
      packageCode: 'pro',
      tokens: 8000,
      priceCents: 14900,
    });
    expect(first.body.balance).toEqual({
      available: 8000,
      reserved: 0,
      lifetimePurchased: 8000,
      lifetimeUsed: 0,
    });

    const again = await buy({ packageCode: 'pro', paymentRef: 'SPEI-0001-A' });
    expect(again.status).toBe(200);
    expect(again.body.purchase.id).toBe(first.body.purchase.id);
    expect(again.body.balance.available).toBe(8000);

    expect((await buy({ packageCode: 'basico', paymentRef: 'SPEI-0001-A' })).status).toBe(409);
    const other = (await createTenant(t.db)).id;
    touched.add(other);
    expect((await buy({ packageCode: 'pro', paymentRef: 'SPEI-0001-A' }, other)).status).toBe(409);
    expect((await api(t, 'GET', `/admin/tenants/${other}/balance`)).body).toMatchObject({
      available: 0,
    });
  });

  it('credits once when identical requests arrive together', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => buy({ packageCode: 'basico', paymentRef: 'OXXO-RACE-1' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.purchase.id)).size).toBe(1);
    expect((await api(t, 'GET', `/admin/tenants/${tenantId}/balance`)).body).toEqual({
      available: 1000,
      reserved: 0,
      lifetimePurchased: 1000,
      lifetimeUsed: 0,
    });
  });

  it('answers 400 with fields and 404 for unknown tenants', async () => {
    const bad = await buy({ packageCode: 'BAD CODE', paymentRef: '' });
    expect(bad.status).toBe(400);
    const fields = (bad.body as unknown as { errors: { field: string }[] }).errors.map(
      (e) => e.field,
    );
    expect(fields).toEqual(expect.arrayContaining(['packageCode', 'paymentRef']));
    const unknown = await buy({ packageCode: 'platino', paymentRef: 'x-1' });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('packageCode');
    const missing = '4b8f6f7a-0000-4000-8000-000000000000';
    expect((await buy({ packageCode: 'basico', paymentRef: 'x-2' }, missing)).status).toBe(404);
    for (const path of ['balance', 'usage', 'ledger']) {
      expect((await api(t, 'GET', `/admin/tenants/${missing}/${path}`)).status).toBe(404);
      expect((await api(t, 'GET', `/admin/tenants/zzz/${path}`)).status).toBe(404);
    }
    const badJson = await api(t, 'POST', `/admin/tenants/${tenantId}/purchases`, { rawBody: '{' });
    expect(badJson.status).toBe(400);
  });

  it('pages through the ledger, newest first', async () => {
    await buy({ packageCode: 'basico', paymentRef: `L-${tenantId}-1` });
    await buy({ packageCode: 'estandar', paymentRef: `L-${tenantId}-2` });
    await buy({ packageCode: 'pro', paymentRef: `L-${tenantId}-3` });
    type Page = {
      entries: { id: string; tokens: number; type: string }[];
      nextCursor: string | null;
    };
    const p1 = await api<Page>(t, 'GET', `/admin/tenants/${tenantId}/ledger?limit=2`);
    expect(p1.status).toBe(200);
    expect(p1.body.entries.map((e) => e.tokens)).toEqual([8000, 3000]);
    expect(p1.body.nextCursor).not.toBeNull();
    const p2 = await api<Page>(
      t,
      'GET',
      `/admin/tenants/${tenantId}/ledger?limit=2&cursor=${p1.body.nextCursor}`,
    );
    expect(p2.body.entries.map((e) => e.tokens)).toEqual([1000]);
    expect(p2.body.nextCursor).toBeNull();
    const bad = await api(t, 'GET', `/admin/tenants/${tenantId}/ledger?limit=500&cursor=abc`);
    expect(bad.status).toBe(400);
  });

  it('reports usage by day (shop time zone), model and operation', async () => {
    await buy({ packageCode: 'basico', paymentRef: `U-${tenantId}` });
    const billing = t.app.get(TokenLedgerService);
    const round = async (wamid: string, model: string, used: number) => {
      const plan = await billing.reserveRound(tenantId, {
        promptTokens: 50,
        ceiling: 100,
        reference: `${wamid}:a1:r1`,
      });
      if ('insufficient' in plan) throw new Error('insufficient');
      await t.db.transaction((tx) =>
        billing.settleRound(tx, plan.reservation, {
          promptTokens: used - 20,
          completionTokens: 20,
          totalTokens: used,
          model,
          operation: 'chat',
          costUsd: 0.0002,
          latencyMs: 300,
          fallbackLevel: '1',
          inboundWamid: wamid,
          seq: 1,
        }),
      );
    };
    await round(`wamid.u1.${tenantId}`, 'openai/gpt-4o-mini', 100);
    await round(`wamid.u2.${tenantId}`, 'anthropic/claude-3-haiku', 120);
    // 03:00Z on 2025-06-02 is still June 1st in Mexico City (UTC−6).
    await t.db.query(
      `UPDATE token_usage SET created_at = '2025-06-02T03:00:00Z' WHERE inbound_wamid = $1`,
      [`wamid.u1.${tenantId}`],
    );
    await t.db.query(
      `UPDATE token_usage SET created_at = '2025-06-02T15:00:00Z' WHERE inbound_wamid = $1`,
      [`wamid.u2.${tenantId}`],
    );
    type Report = {
      totals: Record<string, number>;
      groups: { key: string; totalTokens: number }[];
    };
    const base = `/admin/tenants/${tenantId}/usage?from=2025-06-01&to=2025-06-02`;
    const byDay = await api<Report>(t, 'GET', `${base}&groupBy=day`);
    expect(byDay.status).toBe(200);
    expect(byDay.body.totals).toMatchObject({ calls: 2, totalTokens: 220, chargedTokens: 220 });
    expect(byDay.body.totals.costUsd).toBeCloseTo(0.0004, 8);
    expect(byDay.body.groups.map((g) => [g.key, g.totalTokens])).toEqual([
      ['2025-06-01', 100],
      ['2025-06-02', 120],
    ]);
    const byModel = await api<Report>(t, 'GET', `${base}&groupBy=model`);
    expect(byModel.body.groups.map((g) => g.key)).toEqual([
      'anthropic/claude-3-haiku',
      'openai/gpt-4o-mini',
    ]);
    const byOp = await api<Report>(t, 'GET', `${base}&groupBy=operation`);
    expect(byOp.body.groups).toEqual([expect.objectContaining({ key: 'chat', totalTokens: 220 })]);
    const onlyFirstDay = await api<Report>(
      t,
      'GET',
      `/admin/tenants/${tenantId}/usage?from=2025-06-01&to=2025-06-01`,
    );
    expect(onlyFirstDay.body.totals.totalTokens).toBe(100);
    const bad = await api(
      t,
      'GET',
      `/admin/tenants/${tenantId}/usage?from=2025-02-30&groupBy=week`,
    );
    expect(bad.status).toBe(400);
    const fields = (bad.body as unknown as { errors: { field: string }[] }).errors.map(
      (e) => e.field,
    );
    expect(fields).toEqual(expect.arrayContaining(['from', 'groupBy']));
    const reversed = await api(
      t,
      'GET',
      `/admin/tenants/${tenantId}/usage?from=2025-06-03&to=2025-06-01`,
    );
    expect(reversed.status).toBe(400);
  });

  it('shows the tokens the platform absorbed (level-2 answers, write-offs), not the operator tests', async () => {
    await buy({ packageCode: 'basico', paymentRef: `A-${tenantId}` });
    const billing = t.app.get(TokenLedgerService);
    const base = {
      promptTokens: 60,
      completionTokens: 30,
      totalTokens: 90,
      model: 'anthropic/claude-3-haiku',
      costUsd: 0.0001,
      latencyMs: 200,
      seq: 1,
    };
    // A round that reached the provider, then the answer fell back to level 2.
    await billing.recordUsage({
      ...base,
      tenantId,
      operation: 'chat',
      fallbackLevel: '2',
      inboundWamid: `wamid.abs.${tenantId}`,
    });
    // An operator's test call: uncharged too, but the platform's own, not the shop's.
    await billing.recordUsage({
      ...base,
      tenantId,
      operation: 'test',
      fallbackLevel: '1',
      inboundWamid: null,
    });
    const report = await api<{ totals: Record<string, number> }>(
      t,
      'GET',
      `/admin/tenants/${tenantId}/usage?groupBy=operation`,
    );
    expect(report.status).toBe(200);
    expect(report.body.totals).toMatchObject({
      calls: 2,
      totalTokens: 180,
      chargedTokens: 0,
      absorbedTokens: 90,
    });
    await expectLedgerInvariant(t.db, tenantId);
  });

  it('lists purchase requests from WhatsApp and confirms them with the purchase', async () => {
    await t.app.get(PackagesService).requestPurchase({
      tenantId,
      packageCode: 'estandar',
      waId: '5215500000001',
      inboundWamid: `wamid.pr.${tenantId}`,
    });
    type Req = { tenantId: string; packageCode: string; status: string; purchaseId: string | null };
    const pending = await api<Req[]>(t, 'GET', '/admin/purchase-requests?status=pending&limit=500');
    expect(pending.status).toBe(200);
    expect(pending.body.filter((r) => r.tenantId === tenantId)).toEqual([
      expect.objectContaining({ packageCode: 'estandar', status: 'pending', purchaseId: null }),
    ]);
    const paid = await buy({ packageCode: 'estandar', paymentRef: `PR-${tenantId}` });
    const confirmed = await api<Req[]>(
      t,
      'GET',
      '/admin/purchase-requests?status=confirmed&limit=500',
    );
    expect(confirmed.body.filter((r) => r.tenantId === tenantId)).toEqual([
      expect.objectContaining({ status: 'confirmed', purchaseId: paid.body.purchase.id }),
    ]);
    expect((await api(t, 'GET', '/admin/purchase-requests?status=lost')).status).toBe(400);
  });
});
