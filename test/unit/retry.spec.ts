import { exponential, retry } from '../../src/common/retry';

class Busy extends Error {}

/** A work function failing with the given errors in turn, then answering 'done'. */
function failing(...errors: Error[]) {
  const attempts: number[] = [];
  const work = (attempt: number) => {
    attempts.push(attempt);
    const e = errors.shift();
    return e ? Promise.reject(e) : Promise.resolve('done');
  };
  return { work, attempts };
}

describe('retry', () => {
  const waits: number[] = [];
  const sleep = (ms: number) => {
    waits.push(ms);
    return Promise.resolve();
  };
  beforeEach(() => (waits.length = 0));
  const isBusy = (e: unknown) => e instanceof Busy;

  it('retries a retryable error after each delay of the schedule, then answers', async () => {
    const { work, attempts } = failing(new Busy(), new Busy());
    await expect(retry(work, { delays: [10, 20, 40], retryOn: isBusy, sleep })).resolves.toBe('done');
    expect(attempts).toEqual([1, 2, 3]);
    expect(waits).toEqual([10, 20]);
  });

  it('throws the last error when the schedule is used up', async () => {
    const last = new Busy('third');
    const { work, attempts } = failing(new Busy(), new Busy(), last);
    await expect(retry(work, { delays: [1, 1], retryOn: isBusy, sleep })).rejects.toBe(last);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('throws another error at once, without waiting', async () => {
    const other = new Error('not busy');
    const { work, attempts } = failing(other);
    await expect(retry(work, { delays: [1, 1], retryOn: isBusy, sleep })).rejects.toBe(other);
    expect(attempts).toEqual([1]);
    expect(waits).toEqual([]);
  });

  it('draws jittered waits from [d/2, d)', async () => {
    const { work } = failing(...Array.from({ length: 20 }, () => new Busy()));
    await retry(work, { delays: Array<number>(20).fill(100), retryOn: isBusy, jitter: true, sleep });
    expect(waits).toHaveLength(20);
    for (const w of waits) {
      expect(w).toBeGreaterThanOrEqual(50);
      expect(w).toBeLessThan(100);
    }
  });

  it('stops an endless schedule at the budget, cutting the last wait to fit', async () => {
    let now = 1_000;
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => now);
    const clockSleep = (ms: number) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    };
    try {
      const { work } = failing(...Array.from({ length: 100 }, () => new Busy()));
      await expect(
        retry(work, { delays: exponential(10, 1000), retryOn: isBusy, budgetMs: 100, sleep: clockSleep }),
      ).rejects.toBeInstanceOf(Busy);
      expect(waits).toEqual([10, 20, 40, 30]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('exponential', () => {
  it('doubles up to the cap, count times', () => {
    expect([...exponential(50, 300, 6)]).toEqual([50, 100, 200, 300, 300, 300]);
  });
});
