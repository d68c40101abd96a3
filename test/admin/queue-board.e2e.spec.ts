import { startApp, type RunningApp } from '../../dev/support/app-harness';
import { envelope, postWebhook, textMessage } from '../../dev/support/webhook';
import { createTenant } from '../../dev/support/tenants';

/** bull-board at /admin/queues, behind the admin token like the rest of the admin API. */
describe('queue dashboard (bull-board)', () => {
  let t: RunningApp;
  const token = process.env.ADMIN_API_TOKEN!;

  beforeAll(async () => {
    t = await startApp({}, 'api'); // no worker: posted jobs stay waiting
  });
  afterAll(() => t?.close());

  it.each(['/admin/queues', '/admin/queues/api/queues', '/admin/queues/static/js/main.js'])(
    '%s answers 401 without the token or with a wrong one',
    async (path) => {
      expect((await fetch(`${t.url}${path}`)).status).toBe(401);
      const wrong = await fetch(`${t.url}${path}`, {
        headers: { Authorization: 'Bearer not-the-admin-token-at-all' },
      });
      expect(wrong.status).toBe(401);
    },
  );

  it('serves the board and the queue with its waiting jobs to the admin', async () => {
    const shop = await createTenant(t.db);
    const msg = textMessage({ from: shop.ownerWaId, text: 'hola' });
    expect(
      (await postWebhook(t.url, envelope({ messages: [msg] }, shop.phoneNumberId))).status,
    ).toBe(200);
    const auth = { Authorization: `Bearer ${token}` };
    const page = await fetch(`${t.url}/admin/queues`, { headers: auth });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const api = await fetch(`${t.url}/admin/queues/api/queues?activeQueue=inbound&status=waiting`, {
      headers: auth,
    });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: { name: string; jobs: { id: string }[] }[] };
    const inbound = body.queues.find((q) => q.name === 'inbound');
    expect(inbound?.jobs.map((j) => j.id)).toContain(msg.id);
  });
});
