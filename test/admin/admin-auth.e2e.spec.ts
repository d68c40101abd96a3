import { startApp, type RunningApp } from '../../dev/support/app-harness';
import { api, registeredRoutes, type RouteInfo } from '../../dev/support/admin-api';

describe('Admin API authentication (every route under /admin)', () => {
  let t: RunningApp;
  let adminRoutes: RouteInfo[];

  beforeAll(async () => {
    t = await startApp();
    adminRoutes = registeredRoutes(t).filter((r) => r.path.startsWith('/admin'));
  });
  afterAll(() => t?.close());

  /** Concrete URL for a route pattern: a well-formed uuid for every parameter. */
  const concrete = (path: string) =>
    path.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');

  it('finds the routes it must protect (the walk is not vacuous)', () => {
    const paths = adminRoutes.map((r) => r.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/admin/tenants',
        '/admin/tenants/:id',
        '/admin/tenants/:id/purchases',
        '/admin/tenants/:id/balance',
        '/admin/tenants/:id/usage',
        '/admin/tenants/:id/ledger',
        '/admin/tenants/:id/llm-config',
        '/admin/tenants/:id/llm-config/test',
        '/admin/packages',
        '/admin/purchase-requests',
        '/admin/inbox/failed',
      ]),
    );
  });

  it('answers 401 without a token, with a wrong one and with another scheme', async () => {
    const checked: string[] = [];
    for (const route of adminRoutes) {
      for (const method of route.methods.filter((m) => m !== 'HEAD')) {
        const path = concrete(route.path);
        const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
        for (const token of [null, 'wrong-token-0123456789', 'test-admin-token-012345678']) {
          const res = await api(t, method, path, { body, token });
          expect({ method, path, token, status: res.status }).toEqual({
            method,
            path,
            token,
            status: 401,
          });
        }
        const basic = await fetch(`${t.url}${path}`, {
          method,
          headers: { authorization: `Basic ${Buffer.from('admin:x').toString('base64')}` },
        });
        expect(basic.status).toBe(401);
        checked.push(`${method} ${route.path}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(15);
  });

  it('lets the right token through', async () => {
    expect((await api(t, 'GET', '/admin/packages')).status).toBe(200);
  });

  it('documents the admin routes at /docs', async () => {
    const res = await fetch(`${t.url}/docs-json`);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    for (const p of [
      '/admin/tenants',
      '/admin/tenants/{id}/purchases',
      '/admin/tenants/{id}/usage',
      '/admin/tenants/{id}/llm-config/test',
      '/admin/packages',
      '/admin/purchase-requests',
    ]) {
      expect(doc.paths).toHaveProperty([p]);
    }
  });
});
