/**
 * Migration CLI: `migration:run` / `migration:revert`. Works from TypeScript (ts-node) and
 * from dist (node dist/database/cli.js run) so the production image needs no dev tooling.
 * Connects as DATABASE_MIGRATION_URL (the owner) when set, else DATABASE_URL; after `run`, when
 * the two users differ, grants the app's role (DATABASE_URL's user) what it needs
 * (src/database/app-grants.ts), so tables a new migration creates are covered.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { applyAppGrants, roleOf } from '../src/database/app-grants';
import { dataSourceOptions } from '../src/database/data-source-options';
import { loadEnvFile } from '../src/config/load-env-file';

async function main(): Promise<void> {
  loadEnvFile();
  const command = process.argv[2];
  const appUrl = process.env.DATABASE_URL;
  if (!appUrl) throw new Error('DATABASE_URL is required');
  // Migrations run as the schema owner; the app (DATABASE_URL) as a role that owns nothing.
  const ownerUrl = process.env.DATABASE_MIGRATION_URL || appUrl;
  const ds = new DataSource(dataSourceOptions(ownerUrl));
  await ds.initialize();
  try {
    if (command === 'run') {
      const ran = await ds.runMigrations({ transaction: 'each' });
      console.log(
        ran.length ? `Ran ${ran.map((m) => m.name).join(', ')}` : 'No pending migrations',
      );
      const appRole = roleOf(appUrl);
      if (appRole !== roleOf(ownerUrl)) {
        const runner = ds.createQueryRunner();
        try {
          await applyAppGrants(runner, appRole);
        } finally {
          await runner.release();
        }
        console.log(`Granted the app role "${appRole}" its privileges`);
      }
    } else if (command === 'revert') {
      await ds.undoLastMigration({ transaction: 'each' });
      console.log('Reverted the last migration');
    } else {
      throw new Error(`unknown command "${command ?? ''}" (use run or revert)`);
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
