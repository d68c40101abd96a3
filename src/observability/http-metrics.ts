import type { FastifyInstance } from 'fastify';
import type { MetricsService } from './metrics.service';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/**
 * http_request_duration_seconds for every response, labelled by the route template Fastify
 * matched (`/admin/tenants/:id`, never the URL a client sent: ids and query strings would be
 * unbounded), the method and the status class (2xx…5xx).
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.httpRequestDuration.observe(
      {
        route,
        method: METHODS.has(request.method) ? request.method : 'OTHER',
        status_class: `${Math.floor(reply.statusCode / 100)}xx`,
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
