/**
 * Group commit: callers that arrive while earlier batches are still being written share the
 * next write. With `maxInFlight` batches running, new submissions wait for a free slot and are
 * all written together then, so under load one statement carries many callers' items, and when
 * traffic is light every submission is written at once (no added delay, no timer).
 *
 * Each caller's promise settles with the results of its own items, only after the batch that
 * holds them is written (for the inbox: committed), so durability per caller is unchanged. A
 * failed batch rejects every caller in it, and only them.
 */
export class GroupCommit<I, R> {
  private queue: { items: I[]; resolve: (r: R[]) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;
  private linger: NodeJS.Timeout | undefined;

  constructor(
    /** Writes one batch; returns one result per item, in the same order. */
    private readonly write: (items: I[]) => Promise<R[]>,
    private readonly options: {
      maxInFlight: number;
      maxBatchItems: number;
      /**
       * Wait this long before writing a batch, so that more submissions share it. Only for
       * writes nobody waits on (a caller's promise settles that much later).
       */
      lingerMs?: number;
    },
  ) {}

  submit(items: I[]): Promise<R[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise<R[]>((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      this.drain();
    });
  }

  /** Batches being written now (for tests and metrics). */
  get running(): number {
    return this.inFlight;
  }

  /** Writes what is waiting now, without lingering (e.g. on shutdown). */
  flush(): void {
    clearTimeout(this.linger);
    this.linger = undefined;
    this.startBatches();
  }

  private drain(): void {
    const lingerMs = this.options.lingerMs ?? 0;
    if (lingerMs <= 0) return this.startBatches();
    if (this.linger || this.queue.length === 0) return;
    this.linger = setTimeout(() => this.flush(), lingerMs);
    this.linger.unref();
  }

  private startBatches(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight++;
      void this.run(batch);
    }
  }

  /** Whole submissions, up to maxBatchItems (a submission larger than that goes alone). */
  private take() {
    const batch: typeof this.queue = [];
    let size = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0];
      if (batch.length > 0 && size + next.items.length > this.options.maxBatchItems) break;
      batch.push(next);
      size += next.items.length;
      this.queue.shift();
    }
    return batch;
  }

  private async run(batch: typeof this.queue): Promise<void> {
    try {
      const results = await this.write(batch.flatMap((s) => s.items));
      let offset = 0;
      for (const s of batch) {
        s.resolve(results.slice(offset, offset + s.items.length));
        offset += s.items.length;
      }
    } catch (err) {
      for (const s of batch) s.reject(err);
    } finally {
      this.inFlight--;
      this.drain();
    }
  }
}
