import { shutDownBullClients, type BullClient } from './bullmq-shutdown';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Nothing listens on port 1: what a shutdown sees with Redis gone. */
const DEAD_REDIS_URL = 'redis://127.0.0.1:1';

function client(close: 'resolves' | 'hangs'): BullClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    close: () => {
      calls.push('close');
      return close === 'resolves' ? Promise.resolve() : new Promise(() => undefined);
    },
    disconnect: () => {
      calls.push('disconnect');
      return Promise.resolve();
    },
  };
}

describe('shutDownBullClients', () => {
  const log = { warn: jest.fn() };
  beforeEach(() => log.warn.mockReset());

  it('with Redis answering, closes each client and forces none that closed', async () => {
    const [worker, queue] = [client('resolves'), client('resolves')];
    await shutDownBullClients(log, { REDIS_URL, SHUTDOWN_STEP_TIMEOUT_MS: 5_000 }, [
      { what: 'worker', client: worker },
      { what: 'queue', client: queue },
      { what: 'absent', client: undefined },
    ]);
    expect(worker.calls).toEqual(['close']);
    expect(queue.calls).toEqual(['close']);
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('forces a client whose close() outlives its bound, and says so', async () => {
    const hung = client('hangs');
    await shutDownBullClients(log, { REDIS_URL, SHUTDOWN_STEP_TIMEOUT_MS: 60_000 }, [
      { what: 'worker', client: hung, closeWithinMs: 50 },
    ]);
    expect(hung.calls).toEqual(['close', 'disconnect']);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('closing the worker'));
  });

  it('with Redis unreachable, drops every connection without waiting on close()', async () => {
    // A close() that never ends and an hour-long bound: only dropping lets this test finish.
    const [worker, queue] = [client('hangs'), client('hangs')];
    await shutDownBullClients(
      log,
      { REDIS_URL: DEAD_REDIS_URL, SHUTDOWN_STEP_TIMEOUT_MS: 3_600_000 },
      [
        { what: 'worker', client: worker, closeWithinMs: 3_600_000 },
        { what: 'queue', client: queue },
      ],
    );
    expect(worker.calls).toEqual(['disconnect']);
    expect(queue.calls).toEqual(['disconnect']);
  });

  it('does nothing (not even a PING) when no client was started', async () => {
    await expect(
      shutDownBullClients(log, { REDIS_URL: DEAD_REDIS_URL, SHUTDOWN_STEP_TIMEOUT_MS: 1 }, [
        { what: 'worker', client: undefined },
      ]),
    ).resolves.toBeUndefined();
  });
});
