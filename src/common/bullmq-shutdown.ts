import type { Logger } from '@nestjs/common';
import { boundedStep } from './bounded-step';
import { redisAnswers } from './redis-answers';

/** A BullMQ Worker or Queue: what a shutdown needs of it. */
export interface BullClient {
  close(): Promise<unknown>;
  disconnect(): Promise<unknown>;
}

export interface BullClientToClose {
  /** Named in the shutdown warnings, e.g. 'inbound worker'. */
  what: string;
  client: BullClient | undefined;
  /** How long close() may take (a worker's active job finishing); the step timeout otherwise. */
  closeWithinMs?: number;
}

/** Dropping a connection is local work: it never needs longer than this. */
const DROP_MS = 200;
/** A forced disconnect after a close() that ran out of time. */
const FORCE_MS = 1_000;

/**
 * One shutdown for every module's BullMQ clients, side by side. Redis answering: each close()
 * (a worker lets its active job finish) within its bound, forced with disconnect() when that
 * runs out. Redis unreachable: nothing can finish gracefully (a job in progress cannot complete
 * either and is taken over as stalled later), so the connections are dropped at once — waiting
 * out a bound in each of several modules ran past the process's SIGTERM deadline.
 */
export async function shutDownBullClients(
  log: Pick<Logger, 'warn'>,
  config: { REDIS_URL: string; SHUTDOWN_STEP_TIMEOUT_MS: number },
  clients: BullClientToClose[],
): Promise<void> {
  const present = clients.filter(
    (c): c is BullClientToClose & { client: BullClient } => c.client !== undefined,
  );
  if (present.length === 0) return;
  if (!(await redisAnswers(config.REDIS_URL))) {
    await Promise.all(
      present.map(({ what, client }) =>
        boundedStep(log, `dropping the ${what} connection`, DROP_MS, () => client.disconnect()),
      ),
    );
    return;
  }
  await Promise.all(
    present.map(async ({ what, client, closeWithinMs }) => {
      let closed = false;
      await boundedStep(
        log,
        `closing the ${what}`,
        closeWithinMs ?? config.SHUTDOWN_STEP_TIMEOUT_MS,
        async () => {
          await client.close();
          closed = true;
        },
      );
      if (!closed) {
        await boundedStep(log, `forcing the ${what} closed`, FORCE_MS, () => client.disconnect());
      }
    }),
  );
}
