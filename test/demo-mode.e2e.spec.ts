import { startApp, type RunningApp } from '../dev/support/app-harness';

/** Without DEMO_MODE the simulator and its signing endpoints do not exist; the console does. */
describe('DEMO_MODE off', () => {
  let t: RunningApp;
  beforeAll(async () => {
    t = await startApp({}, 'api');
  });
  afterAll(async () => t?.close());

  it.each(['/simulator/', '/simulator/simulator.js', '/demo/info', '/demo/events'])(
    'GET %s is a 404',
    async (path) => {
      expect((await fetch(`${t.url}${path}`)).status).toBe(404);
    },
  );

  it('POST /demo/messages (which would sign webhooks) is a 404', async () => {
    const res = await fetch(`${t.url}/demo/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: { type: 'text', text: { body: 'hola' } } }),
    });
    expect(res.status).toBe(404);
  });

  it('serves the admin console', async () => {
    const res = await fetch(`${t.url}/console/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Consola de admin');
  });
});
