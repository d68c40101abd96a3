import { normalizeWaId } from '../../src/tenants/phone-number';
import { newWaId } from '../../dev/support/webhook';
import { startApp, type RunningApp } from '../../dev/support/app-harness';
import { api } from '../../dev/support/admin-api';

interface FieldErrors {
  errors: { field: string; reason: string }[];
}
const fieldsOf = (body: unknown) => (body as FieldErrors).errors.map((e) => e.field);

describe('Admin API: tenants (e2e, real PostgreSQL)', () => {
  let t: RunningApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  const phoneNumberId = () => String(Math.floor(Math.random() * 1e15));

  it('creates a shop with its owner and business number (201) and shows it with its balance', async () => {
    const ownerWaId = newWaId();
    const pnid = phoneNumberId();
    const res = await api(t, 'POST', '/admin/tenants', {
      body: {
        name: 'Abarrotes La Esperanza',
        ownerWaId,
        phoneNumberId: pnid,
        timezone: 'America/Monterrey',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Abarrotes La Esperanza',
      timezone: 'America/Monterrey',
      status: 'active',
      // Stored E.164, whatever form it was given in (here Meta's 521… digits).
      users: [{ waId: normalizeWaId(ownerWaId), userId: null, role: 'owner' }],
      channels: [{ phoneNumberId: pnid }],
      balance: { available: 0, reserved: 0, lifetimePurchased: 0, lifetimeUsed: 0 },
    });
    const id = res.body.id as string;

    const one = await api(t, 'GET', `/admin/tenants/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id, balance: { available: 0 } });

    const list = await api<{ items: { id: string }[] }>(t, 'GET', '/admin/tenants?limit=200');
    expect(list.status).toBe(200);
    expect(list.body.items.map((i) => i.id)).toContain(id);
  });

  it('defaults the time zone to Mexico City', async () => {
    const res = await api(t, 'POST', '/admin/tenants', {
      body: { name: 'Tienda Don Beto', ownerWaId: newWaId() },
    });
    expect(res.status).toBe(201);
    expect(res.body.timezone).toBe('America/Mexico_City');
  });

  it('answers 409 when the owner number or the business number is taken (also in a race)', async () => {
    const ownerWaId = newWaId();
    const pnid = phoneNumberId();
    const first = await api(t, 'POST', '/admin/tenants', {
      body: { name: 'Primera', ownerWaId, phoneNumberId: pnid },
    });
    expect(first.status).toBe(201);
    const sameOwner = await api(t, 'POST', '/admin/tenants', { body: { name: 'Otra', ownerWaId } });
    expect(sameOwner.status).toBe(409);
    const sameChannel = await api(t, 'POST', '/admin/tenants', {
      body: { name: 'Otra', ownerWaId: newWaId(), phoneNumberId: pnid },
    });
    expect(sameChannel.status).toBe(409);

    const racer = newWaId();
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        api(t, 'POST', '/admin/tenants', { body: { name: 'Carrera', ownerWaId: racer } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('answers 400 naming each bad field', async () => {
    const res = await api(t, 'POST', '/admin/tenants', {
      body: {
        name: '  ',
        ownerWaId: '+52 55',
        timezone: 'Mars/Olympus',
        phoneNumberId: 12,
        color: 'red',
      },
    });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(
      expect.arrayContaining(['name', 'ownerWaId', 'timezone', 'phoneNumberId', '(body)']),
    );
    const missing = await api(t, 'POST', '/admin/tenants', { body: {} });
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing.body)).toEqual(expect.arrayContaining(['name', 'ownerWaId']));
    const notObject = await api(t, 'POST', '/admin/tenants', { body: [1, 2] });
    expect(notObject.status).toBe(400);
    const badJson = await api(t, 'POST', '/admin/tenants', { rawBody: '{"name": ' });
    expect(badJson.status).toBe(400);
    const noBody = await api(t, 'POST', '/admin/tenants', {});
    expect(noBody.status).toBe(400);
    const badQuery = await api(t, 'GET', '/admin/tenants?limit=0');
    expect(badQuery.status).toBe(400);
    expect(fieldsOf(badQuery.body)).toEqual(['limit']);
  });

  it('PATCH changes only the fields given (name, time zone, negative stock); 400 and 404 say why', async () => {
    const created = await api<{ id: string }>(t, 'POST', '/admin/tenants', {
      body: { name: 'Miscelánea Lupe', ownerWaId: newWaId() },
    });
    const id = created.body.id;
    const column = async () =>
      (
        (await t.db.query(
          `SELECT name, timezone, allow_negative_stock FROM tenants WHERE id = $1`,
          [id],
        )) as { name: string; timezone: string; allow_negative_stock: boolean }[]
      )[0];
    // Default: allowed (owners sell what arrived before anyone counted it).
    expect((await api(t, 'GET', `/admin/tenants/${id}`)).body).toMatchObject({
      allowNegativeStock: true,
    });

    const off = await api(t, 'PATCH', `/admin/tenants/${id}`, {
      body: { allowNegativeStock: false },
    });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id, name: 'Miscelánea Lupe', allowNegativeStock: false });
    expect(await column()).toEqual({
      name: 'Miscelánea Lupe',
      timezone: 'America/Mexico_City',
      allow_negative_stock: false,
    });

    const renamed = await api(t, 'PATCH', `/admin/tenants/${id}`, {
      body: { name: ' Miscelánea Doña Lupe ', timezone: 'America/Tijuana' },
    });
    expect(renamed.status).toBe(200);
    expect(await column()).toEqual({
      name: 'Miscelánea Doña Lupe',
      timezone: 'America/Tijuana',
      allow_negative_stock: false,
    });

    for (const [body, field] of [
      [{}, ''],
      [{ allowNegativeStock: 'no' }, 'allowNegativeStock'],
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ name: '' }, 'name'],
      [{ status: 'suspended' }, ''],
    ] as const) {
      const bad = await api(t, 'PATCH', `/admin/tenants/${id}`, { body });
      expect(bad.status).toBe(400);
      if (field) expect(fieldsOf(bad.body)).toContain(field);
    }
    expect(await column()).toMatchObject({ allow_negative_stock: false });

    for (const unknown of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      const res = await api(t, 'PATCH', `/admin/tenants/${unknown}`, {
        body: { allowNegativeStock: true },
      });
      expect(res.status).toBe(404);
    }
  });

  it('answers 404 for an unknown tenant, uuid or not', async () => {
    expect(
      (await api(t, 'GET', '/admin/tenants/6f1c2d3e-0000-4000-8000-000000000000')).status,
    ).toBe(404);
    expect((await api(t, 'GET', '/admin/tenants/nope')).status).toBe(404);
  });
});
