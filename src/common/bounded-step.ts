import type { Logger } from '@nestjs/common';

/**
 * Runs one shutdown step for at most `ms`: a step that hangs (a Redis client reconnecting
 * forever while Redis is down) is logged and abandoned, so app.close() and SIGTERM always end.
 */
export async function boundedStep(
  log: Pick<Logger, 'warn'>,
  what: string,
  ms: number,
  step: () => Promise<unknown>,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
    timer.unref();
  });
  try {
    const outcome = await Promise.race([step().then(() => 'done' as const), timedOut]);
    if (outcome === 'timeout') log.warn(`Shutdown: ${what} did not finish in ${ms} ms; abandoned`);
  } catch (err) {
    log.warn(`Shutdown: ${what} failed: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}
