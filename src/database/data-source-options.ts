import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../database/migrations';

/**
 * Options shared by the app, the migration CLI and the test harness. There are no entities:
 * each module's repositories speak SQL to the tables they own, and migrations are SQL.
 */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Bounded so a hung database surfaces as an error (→ 503) instead of a hung request.
    connectTimeoutMS: 5_000,
    extra: { max: poolSize, connectionTimeoutMillis: 5_000, statement_timeout: 15_000 },
  };
}
