/**
 * Logs an error at most once per interval: a Redis outage makes BullMQ emit an error on
 * every reconnect attempt, and the on-call engineer needs one line, not thousands.
 */
export function throttledErrorLog(log: (message: string) => void, intervalMs = 10_000) {
  let last = 0;
  let suppressed = 0;
  return (prefix: string, err: Error): void => {
    const now = Date.now();
    if (now - last < intervalMs) {
      suppressed++;
      return;
    }
    log(`${prefix}: ${err.message}${suppressed ? ` (${suppressed} similar suppressed)` : ''}`);
    last = now;
    suppressed = 0;
  };
}
