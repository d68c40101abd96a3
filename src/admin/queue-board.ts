import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { createBullBoard } from '@bull-board/api';
import { FastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';

type BoardOptions = Parameters<typeof createBullBoard>[0];

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * bull-board (the queue dashboard: waiting, active, failed jobs, retry) at /admin/queues,
 * behind `Authorization: Bearer ADMIN_API_TOKEN` like the rest of the admin API: every route
 * of the board, its static files included, answers 401 without the token.
 */
export async function registerQueueBoard(
  app: NestFastifyApplication,
  queues: Queue[],
  adminToken: string,
): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })),
    // @bull-board/fastify ships its own copy of @bull-board/api's types (a patch version
    // apart): same shape, separate declarations.
    serverAdapter: serverAdapter as unknown as BoardOptions['serverAdapter'],
  });
  const expected = digest(adminToken);
  const board = serverAdapter.registerPlugin();
  // On the root instance, not the board's scope: the board's catch-all page route answered
  // 404 before a scoped hook ran, so unknown board paths skipped the token check.
  const root = app.getHttpAdapter().getInstance() as FastifyInstance;
  root.addHook('onRequest', async (req, reply) => {
    if (!isBoardPath(req.url)) return;
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!match || !timingSafeEqual(digest(match[1].trim()), expected)) {
      await reply.code(401).send({ statusCode: 401, message: 'Missing or invalid admin token' });
    }
  });
  await app.register(async (scope: FastifyInstance) => scope.register(board), {
    prefix: QUEUE_BOARD_PATH,
  });
}

function isBoardPath(url: string): boolean {
  if (!url.startsWith(QUEUE_BOARD_PATH)) return false;
  const next = url.charAt(QUEUE_BOARD_PATH.length);
  return next === '' || next === '/' || next === '?';
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
