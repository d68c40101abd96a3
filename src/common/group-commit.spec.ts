import { GroupCommit } from './group-commit';

/** A write whose batches stay open until the test releases them. */
function controlledWrite() {
  const batches: { items: number[]; release: (fail?: Error) => void }[] = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push({
        items,
        release: (fail) => (fail ? reject(fail) : resolve(items.map((i) => `r${i}`))),
      });
    });
  return { batches, write };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('writes at once when idle, and gathers what arrives meanwhile into the next batch', async () => {
    const { batches, write } = controlledWrite();
    const group = new GroupCommit(write, { maxInFlight: 1, maxBatchItems: 100 });
    const first = group.submit([1]);
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    const second = group.submit([2, 3]);
    const third = group.submit([4]);
    expect(batches).toHaveLength(1);
    batches[0].release();
    expect(await first).toEqual(['r1']);
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]);
    batches[1].release();
    expect(await second).toEqual(['r2', 'r3']);
    expect(await third).toEqual(['r4']);
  });

  it('keeps up to maxInFlight batches running', async () => {
    const { batches, write } = controlledWrite();
    const group = new GroupCommit(write, { maxInFlight: 2, maxBatchItems: 100 });
    void group.submit([1]);
    void group.submit([2]);
    void group.submit([3]);
    expect(batches.map((b) => b.items)).toEqual([[1], [2]]);
    expect(group.running).toBe(2);
  });

  it('never splits a submission and caps batches at maxBatchItems', async () => {
    const { batches, write } = controlledWrite();
    const group = new GroupCommit(write, { maxInFlight: 1, maxBatchItems: 3 });
    void group.submit([0]);
    const a = group.submit([1, 2]);
    const b = group.submit([3, 4]);
    batches[0].release();
    await tick();
    expect(batches.map((x) => x.items)).toEqual([[0], [1, 2]]);
    batches[1].release();
    await a;
    await tick();
    expect(batches.map((x) => x.items)).toEqual([[0], [1, 2], [3, 4]]);
    batches[2].release();
    expect(await b).toEqual(['r3', 'r4']);
  });

  it('rejects only the callers of a failed batch, and goes on', async () => {
    const { batches, write } = controlledWrite();
    const group = new GroupCommit(write, { maxInFlight: 1, maxBatchItems: 100 });
    const ok = group.submit([1]);
    const failA = group.submit([2]);
    const failB = group.submit([3]);
    batches[0].release();
    await ok;
    await tick();
    batches[1].release(new Error('connection lost'));
    await expect(failA).rejects.toThrow('connection lost');
    await expect(failB).rejects.toThrow('connection lost');
    const later = group.submit([4]);
    batches[2].release();
    expect(await later).toEqual(['r4']);
  });
});

describe('GroupCommit with lingerMs', () => {
  afterEach(() => jest.useRealTimers());

  it('waits lingerMs before a batch, so the submissions of that window share it', async () => {
    jest.useFakeTimers();
    const { batches, write } = controlledWrite();
    const group = new GroupCommit(write, { maxInFlight: 1, maxBatchItems: 100, lingerMs: 25 });
    const first = group.submit([1]);
    void group.submit([2]);
    await jest.advanceTimersByTimeAsync(24);
    expect(batches).toHaveLength(0);
    void group.submit([3]);
    await jest.advanceTimersByTimeAsync(1);
    expect(batches.map((b) => b.items)).toEqual([[1, 2, 3]]);
    batches[0].release();
    expect(await first).toEqual(['r1']);
    // The next window starts with the next submission, not before.
    void group.submit([4]);
    await jest.advanceTimersByTimeAsync(25);
    expect(batches.map((b) => b.items)).toEqual([[1, 2, 3], [4]]);
  });

  it('flush() writes what is gathering at once', () => {
    jest.useFakeTimers();
    const { batches, write } = controlledWrite();
    const group = new GroupCommit(write, { maxInFlight: 1, maxBatchItems: 100, lingerMs: 1_000 });
    void group.submit([1]);
    group.flush();
    expect(batches.map((b) => b.items)).toEqual([[1]]);
  });
});
