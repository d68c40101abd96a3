import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startApp, type RunningApp } from '../../dev/support/app-harness';
import { envelope, postWebhook, textMessage } from '../../dev/support/webhook';
import { envSchema } from '../../src/config/env.schema';
import { QueueMetricsService } from '../../src/observability/queue-metrics.service';
import { scrape } from '../support/prom-text';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML */
const docs = parseAllDocuments(
  readFileSync(join(__dirname, '..', '..', 'deploy', 'k8s', 'changarrito.yaml'), 'utf8'),
).map((d) => d.toJSON() as any);
const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
const deployments = byKind('Deployment');
const envNames = new Set(Object.keys(envSchema.shape));

/** deploy/k8s: probes at real routes, env names the config schema reads, wiring consistent. */
describe('Kubernetes manifests', () => {
  let t: RunningApp;
  beforeAll(async () => {
    t = await startApp({ ADMIN_PORT: '0' }, 'api');
  });
  afterAll(() => t?.close());

  it('has api and worker Deployments, a migration Job, Secrets, PDBs and two HPAs', () => {
    expect(
      deployments
        .map(
          (d) =>
            d.spec.template.spec.containers[0].env.find((e: any) => e.name === 'APP_ROLE').value,
        )
        .sort(),
    ).toEqual(['api', 'worker']);
    expect(byKind('Job')).toHaveLength(1);
    expect(byKind('Secret').map((x) => x.metadata.name)).toEqual([
      'changarrito-secrets',
      'changarrito-migration',
    ]);
    expect(byKind('PodDisruptionBudget')).toHaveLength(2);
    expect(byKind('HorizontalPodAutoscaler')).toHaveLength(2);
  });

  it.each(deployments.map((d) => [d.metadata.name, d]))(
    '%s probes answer 200 on a running app',
    async (_name, d: any) => {
      const c = d.spec.template.spec.containers[0];
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits).toBeDefined();
      for (const probe of [c.livenessProbe, c.readinessProbe]) {
        expect((await fetch(`${t.url}${probe.httpGet.path}`)).status).toBe(200);
      }
    },
  );

  it('names only environment variables the config schema reads', () => {
    const names = [
      ...byKind('Secret').flatMap((x) => Object.keys(x.stringData)),
      ...deployments.flatMap((d) =>
        d.spec.template.spec.containers.flatMap((c: any) => (c.env ?? []).map((e: any) => e.name)),
      ),
    ];
    expect(names.filter((n) => !envNames.has(n))).toEqual([]);
    const secret = byKind('Secret')[0].metadata.name;
    for (const w of deployments) {
      for (const c of w.spec.template.spec.containers)
        expect(c.envFrom).toEqual([{ secretRef: { name: secret } }]);
    }
    // Only the migration Job gets the schema owner's URL; the app runs as the role that owns
    // nothing, a different user.
    const migration = byKind('Secret')[1];
    expect(Object.keys(migration.stringData)).toEqual(['DATABASE_MIGRATION_URL']);
    for (const c of byKind('Job')[0].spec.template.spec.containers)
      expect(c.envFrom).toEqual([
        { secretRef: { name: secret } },
        { secretRef: { name: migration.metadata.name } },
      ]);
    const user = (u: string) => new URL(u).username;
    expect(user(byKind('Secret')[0].stringData.DATABASE_URL)).not.toBe(
      user(migration.stringData.DATABASE_MIGRATION_URL),
    );
    // Every required variable (no default) comes from the Secret.
    const required = Object.entries(envSchema.shape)
      .filter(([, s]) => !(s as any).safeParse(undefined).success)
      .map(([k]) => k);
    expect(required.filter((k) => !(k in byKind('Secret')[0].stringData))).toEqual([]);
  });

  it('admin port: its own containerPort, scraped by Prometheus, only on an internal Service', async () => {
    for (const d of deployments) {
      const c = d.spec.template.spec.containers[0];
      const adminPort = Number(c.env.find((e: any) => e.name === 'ADMIN_PORT').value);
      const port = (name: string) => c.ports.find((p: any) => p.name === name)?.containerPort;
      expect(port('admin')).toBe(adminPort);
      expect(port('http')).toBe(Number(c.env.find((e: any) => e.name === 'PORT').value));
      expect(d.spec.template.metadata.annotations['prometheus.io/port']).toBe(String(adminPort));
      // The probes stay on the public port, which serves /health.
      expect(c.livenessProbe.httpGet.port).toBe('http');
      expect(c.readinessProbe.httpGet.port).toBe('http');
    }
    const services = byKind('Service');
    const publicService = services.find((s) => s.metadata.name === 'changarrito-api');
    expect(publicService.spec.ports.map((p: any) => p.targetPort)).toEqual(['http']);
    const adminServices = services.filter((s) =>
      s.spec.ports.some((p: any) => p.targetPort === 'admin'),
    );
    expect(adminServices.map((s) => s.spec.type ?? 'ClusterIP')).toEqual(['ClusterIP']);
    // What the annotation points Prometheus at answers /metrics; the public port does not.
    expect((await fetch(`${t.adminUrl}/metrics`)).status).toBe(200);
    expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
  });

  it('PDBs and HPAs point at the Deployments; the worker HPA metric exists in a scrape', async () => {
    const labels = deployments.map((d) => d.spec.template.metadata.labels);
    for (const pdb of byKind('PodDisruptionBudget')) {
      expect(labels).toContainEqual(pdb.spec.selector.matchLabels);
    }
    const names = deployments.map((d) => d.metadata.name);
    const hpas = byKind('HorizontalPodAutoscaler');
    for (const h of hpas) expect(names).toContain(h.spec.scaleTargetRef.name);
    const external = hpas.flatMap((h) => h.spec.metrics).find((m: any) => m.type === 'External');
    const shop = textMessage({ from: '5215512345678', text: 'hola' });
    expect((await postWebhook(t.url, envelope({ messages: [shop] }))).status).toBe(200);
    await t.app.get(QueueMetricsService).sample();
    const samples = await scrape(t.adminUrl!);
    const { name, selector } = external.external.metric;
    const match = samples.filter(
      (s) =>
        s.name === name &&
        Object.entries(selector.matchLabels).every(([k, v]) => s.labels[k] === v),
    );
    expect(match).toHaveLength(1);
  });
});
