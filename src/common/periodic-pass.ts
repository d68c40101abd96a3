import type { Logger } from '@nestjs/common';
import { boundedStep } from './bounded-step';

/**
 * A background pass run every `intervalMs` (and optionally at start) that never overlaps
 * itself in this process: a call while a pass runs gets that pass's promise instead of a
 * second one, so a slow database or Redis does not pile passes up. A failed pass is turned
 * into a value by `onError` (logged by the caller); the next tick tries again. The timer is
 * unref'd, so it never keeps the process alive.
 */
export class PeriodicPass<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  constructor(
    private readonly options: {
      intervalMs: number;
      pass: () => Promise<T>;
      onError: (err: Error) => T;
      /** Run one pass at once on start(), before the first interval. */
      runAtStart?: boolean;
    },
  ) {}

  start(): void {
    if (this.options.runAtStart) void this.run();
    this.timer = setInterval(() => void this.run(), this.options.intervalMs);
    this.timer.unref();
  }

  /** One pass now, or the one already running. Never rejects. */
  run(): Promise<T> {
    if (this.running) return this.running;
    this.running = this.options
      .pass()
      .catch((err: unknown) => this.options.onError(err as Error))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Stops the timer; returns the pass still running, if any, for the caller to wait for. */
  stop(): Promise<T> | undefined {
    clearInterval(this.timer);
    this.timer = undefined;
    return this.running;
  }

  /** Stops the timer and waits for the pass still running, at most `ms` (shutdown). */
  async stopWithin(log: Pick<Logger, 'warn'>, what: string, ms: number): Promise<void> {
    const running = this.stop();
    if (running) await boundedStep(log, what, ms, () => running);
  }
}
