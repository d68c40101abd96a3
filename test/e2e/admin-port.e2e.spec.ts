import { startApp, type RunningApp } from '../../dev/support/app-harness';
import { createTenant } from '../../dev/support/tenants';
import { envelope, postWebhook, textMessage } from '../../dev/support/webhook';

/**
 * ADMIN_PORT set: the admin API, bull-board, the console, the OpenAPI document and /metrics
 * answer only on the internal port; the public port serves only the webhook and /health.
 */
describe('ADMIN_PORT: admin, docs and metrics on an internal port', () => {
  let t: RunningApp;
  let admin: string;
  const auth = { Authorization: `Bearer ${process.env.ADMIN_API_TOKEN}` };

  beforeAll(async () => {
    t = await startApp({ ADMIN_PORT: '0' }, 'api');
    admin = t.adminUrl!;
  });
  afterAll(() => t?.close());

  it('listens on two different ports', () => {
    expect(admin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(admin).not.toBe(t.url);
  });

  const internal = [
    '/admin/tenants',
    '/admin/inbox/failed',
    '/admin/queues',
    '/admin/queues/api/queues',
    '/docs',
    '/docs-json',
    '/metrics',
    '/console/',
    '/ui/base.css',
    '/ADMIN/tenants',
    '/%61dmin/tenants',
    '//admin/tenants',
  ];

  it.each(internal)('GET %s on the public port is a 404, even with the admin token', async (p) => {
    expect((await fetch(`${t.url}${p}`)).status).toBe(404);
    expect((await fetch(`${t.url}${p}`, { headers: auth })).status).toBe(404);
  });

  it('POST /admin/tenants on the public port is a 404 and creates nothing', async () => {
    const name = `public-port-${Date.now()}`;
    const res = await fetch(`${t.url}/admin/tenants`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    expect(res.status).toBe(404);
    const rows = await t.db.query('SELECT 1 FROM tenants WHERE name = $1', [name]);
    expect(rows).toHaveLength(0);
  });

  it('the admin port serves the admin API, still behind the admin token', async () => {
    expect((await fetch(`${admin}/admin/tenants`)).status).toBe(401);
    const shop = await createTenant(t.db);
    const res = await fetch(`${admin}/admin/tenants/${shop.id}`, { headers: auth });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe(shop.id);
    expect((await fetch(`${admin}/admin/queues`)).status).toBe(401);
    expect((await fetch(`${admin}/admin/queues`, { headers: auth })).status).toBe(200);
  });

  it.each(['/docs', '/docs-json', '/metrics', '/console/', '/ui/base.css'])(
    'GET %s answers 200 on the admin port',
    async (p) => {
      expect((await fetch(`${admin}${p}`)).status).toBe(200);
    },
  );

  it('the webhook answers on the public port only', async () => {
    const shop = await createTenant(t.db);
    const body = envelope(
      { messages: [textMessage({ from: shop.ownerWaId, text: 'hola' })] },
      shop.phoneNumberId,
    );
    expect((await postWebhook(admin, body)).status).toBe(404);
    const verify = `/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${process.env.WHATSAPP_VERIFY_TOKEN}&hub.challenge=42`;
    expect((await fetch(`${admin}${verify}`)).status).toBe(404);
    const stored = await t.db.query(
      'SELECT count(*)::int AS n FROM inbound_messages WHERE tenant_id = $1',
      [shop.id],
    );
    expect(stored[0].n).toBe(0);
    expect((await postWebhook(t.url, body)).status).toBe(200);
    const verified = await fetch(`${t.url}${verify}`);
    expect(verified.status).toBe(200);
    expect(await verified.text()).toBe('42');
  });

  it.each(['/health/live', '/health/ready'])('GET %s answers on both ports', async (p) => {
    expect((await fetch(`${t.url}${p}`)).status).toBe(200);
    expect((await fetch(`${admin}${p}`)).status).toBe(200);
  });
});

describe('ADMIN_PORT unset: one port serves everything (development)', () => {
  let t: RunningApp;
  beforeAll(async () => {
    t = await startApp({}, 'api');
  });
  afterAll(() => t?.close());

  it('serves admin, docs, metrics and health on the one port', async () => {
    expect(t.adminUrl).toBeUndefined();
    const auth = { Authorization: `Bearer ${process.env.ADMIN_API_TOKEN}` };
    expect((await fetch(`${t.url}/admin/tenants`, { headers: auth })).status).toBe(200);
    for (const p of ['/docs-json', '/metrics', '/health/live', '/console/']) {
      expect((await fetch(`${t.url}${p}`)).status).toBe(200);
    }
  });
});
