import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/config.module';
import { correlationFields } from './log-context';
import { CENSOR, redactDeep, serializeError } from './log-serializers';

/**
 * Structured JSON logs. Secrets never reach them: auth and signature headers are redacted by
 * path, any key named like a key, a token, a password, SQL parameters, a driver error or an
 * HTTP client config is censored at any depth (redactDeep), and errors are serialized without
 * what they drag along (serializeError). Lines written while a message is worked on carry its
 * inbound wamid (the correlation id from the webhook to the reply).
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

const QUIET_PATHS = /^\/(health(\/.*)?|metrics)$/;

export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      autoLogging: { ignore: (req) => QUIET_PATHS.test((req.url ?? '').split('?')[0]) },
      customProps: () => ({ role: config.APP_ROLE }),
      mixin: () => correlationFields(),
      formatters: { log: (object) => redactDeep(object) as Record<string, unknown> },
      serializers: {
        // Query strings can carry hub.verify_token: log the path only.
        req: (req: { method?: string; url?: string; id?: unknown }) => ({
          id: req.id,
          method: req.method,
          path: req.url?.split('?')[0],
        }),
        err: serializeError,
      },
    },
  };
}
