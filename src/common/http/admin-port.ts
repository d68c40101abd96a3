import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyServerFactory } from 'fastify';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * ADMIN_PORT: the admin API (/admin/*, bull-board at /admin/queues), the console (/console,
 * /ui), the OpenAPI document (/docs, /docs-json) and /metrics are served on an internal port
 * only; the public port serves the webhook and /health (plus the simulator's /simulator, /ui,
 * /demo under DEMO_MODE). Unset: one port serves everything (development).
 *
 * One Nest application, one Fastify instance, two HTTP servers feeding its request handler
 * (Fastify's documented `serverFactory`): a second Nest app would have doubled the database
 * pool, the BullMQ workers and timers, and the shutdown sequence; a Nest guard keyed on the
 * local port would not see the routes that are Fastify plugins (bull-board, swagger, the
 * static pages). The split is a root onRequest hook, registered before every route and
 * plugin, so it runs first for every request (404s included) and is deny-by-default: a route
 * added later is on neither port until it is listed here.
 */

const ADMIN_REQUEST = Symbol('changarrito.adminPort');

type Marked = IncomingMessage & { [ADMIN_REQUEST]?: true };

const ADMIN_PATHS = [
  '/admin',
  '/console',
  '/ui',
  '/docs',
  '/docs-json',
  '/docs-yaml',
  '/metrics',
  '/health',
];
const PUBLIC_PATHS = ['/webhooks/whatsapp', '/health'];
const DEMO_PATHS = ['/simulator', '/ui', '/demo'];

export interface PortSplit {
  serverFactory: FastifyServerFactory;
  /** Adds the hook that keeps each route on its port (call before any route is registered). */
  install(instance: FastifyInstance): void;
  /** Starts the admin listener; closed with the app. Returns the bound port. */
  listenAdmin(port: number, host: string): Promise<number>;
}

export function portSplit(options: { demo: boolean }): PortSplit {
  let adminServer: Server | undefined;
  const publicPaths = options.demo ? [...PUBLIC_PATHS, ...DEMO_PATHS] : PUBLIC_PATHS;
  const serverFactory: FastifyServerFactory = (handler) => {
    adminServer = createServer((req: Marked, res: ServerResponse) => {
      req[ADMIN_REQUEST] = true;
      handler(req, res);
    });
    return createServer(handler);
  };
  return {
    serverFactory,
    install(instance) {
      instance.addHook('onRequest', async (req, reply) => {
        const admin = (req.raw as Marked)[ADMIN_REQUEST] === true;
        const allowed = admin ? ADMIN_PATHS : publicPaths;
        if (!allowed.some((prefix) => underPrefix(req.url, prefix))) {
          await reply.code(404).send({ statusCode: 404, message: 'Not Found' });
        }
      });
      instance.addHook('onClose', async () => {
        const server = adminServer;
        if (!server?.listening) return;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
      });
    },
    async listenAdmin(port, host) {
      const server = adminServer;
      if (!server) throw new Error('the admin listener exists once the app is created');
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      return (server.address() as AddressInfo).port;
    },
  };
}

/** `/admin` matches /admin, /admin/…, /admin?…, not /administrator. */
function underPrefix(url: string, prefix: string): boolean {
  if (!url.startsWith(prefix)) return false;
  const next = url.charAt(prefix.length);
  return next === '' || next === '/' || next === '?';
}

const SPLITS = new WeakMap<NestFastifyApplication, PortSplit>();

export function rememberPortSplit(app: NestFastifyApplication, split: PortSplit): void {
  SPLITS.set(app, split);
}

/**
 * Starts the admin listener of an app created with ADMIN_PORT; returns its bound port (the
 * tests pass 0). Throws if the app was created without ADMIN_PORT.
 */
export async function listenAdminPort(
  app: NestFastifyApplication,
  port: number,
  host: string,
): Promise<number> {
  const split = SPLITS.get(app);
  if (!split) throw new Error('ADMIN_PORT is not set for this app');
  return split.listenAdmin(port, host);
}
