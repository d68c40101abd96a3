/**
 * Migration CLI: `migration:run` / `migration:revert`. Works from TypeScript (ts-node) and
 * from dist (node dist/database/cli.js run) so the production image needs no dev tooling.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { loadEnvFile } from '../src/config/load-env-file';

async function main(): Promise<void> {
  loadEnvFile();
  const command = process.argv[2];
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    if (command === 'run') {
      const ran = await ds.runMigrations({ transaction: 'each' });
      console.log(
        ran.length ? `Ran ${ran.map((m) => m.name).join(', ')}` : 'No pending migrations',
      );
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
