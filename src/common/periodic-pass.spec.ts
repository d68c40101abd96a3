import { PeriodicPass } from './periodic-pass';

describe('PeriodicPass', () => {
  afterEach(() => jest.useRealTimers());

  it('never overlaps itself: a call during a pass gets that pass', async () => {
    let release!: (n: number) => void;
    const pass = jest.fn(() => new Promise<number>((r) => (release = r)));
    const p = new PeriodicPass({ intervalMs: 1_000, pass, onError: () => -1 });
    const first = p.run();
    const second = p.run();
    expect(second).toBe(first);
    expect(pass).toHaveBeenCalledTimes(1);
    release(7);
    expect(await first).toBe(7);
    // Once it ended, the next call starts a new pass.
    const third = p.run();
    expect(pass).toHaveBeenCalledTimes(2);
    release(8);
    expect(await third).toBe(8);
  });

  it('turns a failed pass into onError’s value and keeps going', async () => {
    const onError = jest.fn(() => 0);
    const pass = jest
      .fn<Promise<number>, []>()
      .mockRejectedValueOnce(new Error('connection refused'))
      .mockResolvedValueOnce(3);
    const p = new PeriodicPass({ intervalMs: 1_000, pass, onError });
    expect(await p.run()).toBe(0);
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'connection refused' }),
    );
    expect(await p.run()).toBe(3);
  });

  it('runs on its interval (and at start when asked) until stopped', async () => {
    jest.useFakeTimers();
    const pass = jest.fn(() => Promise.resolve(1));
    const p = new PeriodicPass({ intervalMs: 1_000, pass, onError: () => 0, runAtStart: true });
    p.start();
    expect(pass).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(3_000);
    expect(pass).toHaveBeenCalledTimes(4);
    expect(p.stop()).toBeUndefined();
    await jest.advanceTimersByTimeAsync(3_000);
    expect(pass).toHaveBeenCalledTimes(4);
  });

  it('stop() hands back the pass still running', async () => {
    let release!: (n: number) => void;
    const p = new PeriodicPass({
      intervalMs: 1_000,
      pass: () => new Promise<number>((r) => (release = r)),
      onError: () => 0,
    });
    const running = p.run();
    expect(p.stop()).toBe(running);
    release(5);
    expect(await running).toBe(5);
  });
});

describe('PeriodicPass.stopWithin', () => {
  it('waits for the running pass, and abandons one that outlasts the bound', async () => {
    const log = { warn: jest.fn() };
    let release!: (n: number) => void;
    const p = new PeriodicPass({
      intervalMs: 1_000,
      pass: () => new Promise<number>((r) => (release = r)),
      onError: () => 0,
    });
    void p.run();
    setTimeout(() => release(1), 5);
    await p.stopWithin(log, 'the pass', 1_000);
    expect(log.warn).not.toHaveBeenCalled();
    void p.run(); // never released
    await p.stopWithin(log, 'the pass', 10);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('the pass did not finish'));
  });
});
