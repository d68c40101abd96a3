import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The `observability` compose profile mounts files that exist and wires them together. */
describe('docker-compose observability profile', () => {
  const root = join(__dirname, '..', '..');
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { profiles?: string[]; volumes?: string[] }>;
  };

  it.each(['prometheus', 'grafana'])(
    '%s is in the profile and mounts only existing files',
    (name) => {
      const service = compose.services[name];
      expect(service.profiles).toEqual(['observability']);
      for (const volume of service.volumes ?? []) {
        const host = volume.split(':')[0];
        expect({ volume, exists: existsSync(join(root, host)) }).toEqual({ volume, exists: true });
      }
    },
  );

  it('Prometheus loads the alert rules and scrapes the app at /metrics on its ADMIN_PORT', () => {
    const prom = parse(readFileSync(join(root, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[];
    };
    expect(compose.services.prometheus.volumes).toContain(
      './deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro',
    );
    expect(prom.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    expect(prom.scrape_configs[0].metrics_path).toBe('/metrics');
    const app = (
      compose.services as Record<string, { environment?: Record<string, string>; ports?: string[] }>
    ).app;
    const adminPort = app.environment?.ADMIN_PORT;
    expect(adminPort).toBe('9000');
    expect(prom.scrape_configs[0].static_configs[0].targets).toEqual([`app:${adminPort}`]);
    // The admin port is published on the host's loopback only, never on every interface.
    const published = (app.ports ?? []).filter((p) => p.split(':').at(-1) === adminPort);
    expect(published).toEqual([`127.0.0.1:${adminPort}:${adminPort}`]);
  });

  it('PostgreSQL creates the owner and the app role; the app and its migrations use each', () => {
    const services = compose.services as Record<
      string,
      { volumes?: string[]; environment?: Record<string, string> }
    >;
    const init = (services.postgres.volumes ?? []).find((v) => v.includes('initdb.d'));
    expect(init).toBeDefined();
    const script = readFileSync(join(root, init!.split(':')[0]), 'utf8');
    const env = services.app.environment ?? {};
    const user = (u: string) => new URL(u).username;
    expect(user(env.DATABASE_URL)).toBe('changarrito_app');
    expect(user(env.DATABASE_MIGRATION_URL)).toBe('changarrito_owner');
    expect(script).toContain('CREATE ROLE changarrito_app');
    expect(script).toContain('CREATE ROLE changarrito_owner');
    expect(script).toContain('CREATE DATABASE changarrito OWNER changarrito_owner');
  });
});
