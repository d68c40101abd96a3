import { randomBytes } from 'node:crypto';
import { api } from './admin-api';
import type { RunningApp } from './app-harness';

/** Sells a token package to a shop through the admin API, as an admin would. */
export async function sellPackage(
  t: Pick<RunningApp, 'url'>,
  tenantId: string,
  packageCode = 'pro',
): Promise<void> {
  const res = await api(t, 'POST', `/admin/tenants/${tenantId}/purchases`, {
    body: { packageCode, paymentRef: `test-${randomBytes(6).toString('hex')}` },
  });
  if (res.status !== 201) throw new Error(`purchase failed: ${res.status} ${res.text}`);
}
