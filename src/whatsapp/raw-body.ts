import type { FastifyInstance } from 'fastify';

/** Routes whose body must reach the handler as the exact bytes received (for the HMAC). */
export const RAW_BODY_PREFIX = '/webhooks/';

/** Admin bodies (a product import of 2,000 rows fits); the webhook route has its own limit. */
export const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * The webhook's body is read before its signature can be checked, so anyone can make the
 * server buffer this much: real deliveries (a batch of messages and statuses, text at most
 * 4,096 characters each) are a few KB, so 256 KB leaves ample room. Larger → 413.
 */
export const WEBHOOK_BODY_LIMIT_BYTES = 256 * 1024;

/**
 * Webhook bodies stay a Buffer whatever their content type, so the signature is checked over
 * the raw bytes before anything parses them. Every other route gets ordinary JSON parsing,
 * with malformed JSON answered as 400.
 */
export function registerBodyParsers(fastify: FastifyInstance): void {
  // The parser sets no bodyLimit of its own (it would override the routes'): the server's
  // default applies, and webhook routes get the smaller one.
  fastify.addHook('onRoute', (route) => {
    if (route.url.startsWith(RAW_BODY_PREFIX)) route.bodyLimit = WEBHOOK_BODY_LIMIT_BYTES;
  });
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body: Buffer, done) => {
    if (req.url.startsWith(RAW_BODY_PREFIX)) return done(null, body);
    const type = String(req.headers['content-type'] ?? '');
    // Uploads: a catalogue as CSV text, a simulated voice note as its bytes.
    if (/^text\/csv\b/i.test(type)) return done(null, body.toString('utf8'));
    if (/^audio\//i.test(type) && req.url.startsWith('/demo/media')) return done(null, body);
    if (!/^application\/(.+\+)?json\b/i.test(type)) {
      return done(
        Object.assign(new Error(`Unsupported content type "${type}"`), { statusCode: 415 }),
      );
    }
    if (body.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(body.toString('utf8')));
    } catch {
      done(Object.assign(new Error('Body is not valid JSON'), { statusCode: 400 }));
    }
  });
}
