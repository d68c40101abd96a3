import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/config.module';

/**
 * Structured JSON logs. Secrets never reach them: auth and signature headers are redacted,
 * and so are any fields named like keys or tokens wherever they appear.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-hub-signature-256"]',
  'req.headers.cookie',
  '*.apiKey',
  '*.api_key',
  '*.token',
  '*.accessToken',
  '*.password',
  '*.secret',
];

export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      customProps: () => ({ role: config.APP_ROLE }),
      serializers: {
        // Query strings can carry hub.verify_token: log the path only.
        req: (req: { method?: string; url?: string; id?: unknown }) => ({
          id: req.id,
          method: req.method,
          path: req.url?.split('?')[0],
        }),
      },
    },
  };
}
