import 'reflect-metadata';
import { createApp } from './app.factory';
import { listenAdminPort } from './common/http/admin-port';
import { ConfigError, parseEnv } from './config/env.schema';
import { loadEnvFile } from './config/load-env-file';

async function bootstrap(): Promise<void> {
  loadEnvFile();
  let config;
  try {
    config = parseEnv(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      // One clear line naming what is wrong, then stop.
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const app = await createApp(config);
  // Every shutdown step is bounded (SHUTDOWN_STEP_TIMEOUT_MS); this is the last resort so a
  // SIGTERM always ends the process, whatever hangs.
  const hardDeadlineMs = config.SHUTDOWN_STEP_TIMEOUT_MS * 4;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        console.error(`Shutdown did not finish within ${hardDeadlineMs} ms; exiting`);
        process.exit(1);
      }, hardDeadlineMs).unref();
    });
  }
  await app.listen({ port: config.PORT, host: '0.0.0.0' });
  // ADMIN_PORT: admin API, console, docs and metrics on an internal port (not exposed publicly).
  if (config.ADMIN_PORT !== undefined) await listenAdminPort(app, config.ADMIN_PORT, '0.0.0.0');
}

void bootstrap();
