import { existsSync } from 'node:fs';

/**
 * Reads ./.env when there is one (Node's own parser). Variables already set in the
 * environment win, so containers and CI configure the app the usual way.
 */
export function loadEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
