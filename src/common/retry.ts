import { setTimeout as sleepFor } from 'node:timers/promises';

/**
 * The one retry loop of the code: the write path's reruns of a statement (after a conflict, or while another
 * owner's lease lasts), the settlement's wait for a lease, the tests' template clone. Try, and on an error
 * worth another attempt wait the next delay of the schedule and try again; any other error, or one after the
 * schedule is used up, is thrown as it is.
 */
export interface RetryOptions {
  /** The waits before each retry, in ms; a finite schedule bounds the attempts (an infinite one needs `budgetMs`). */
  delays: Iterable<number>;
  /** Whether this error is worth another attempt. */
  retryOn: (err: unknown) => boolean;
  /** Each wait drawn from [d/2, d) instead of d, so that competitors do not retry in step. */
  jitter?: boolean;
  /** No retry would start later than this many ms after the first attempt; the last wait is cut to fit. */
  budgetMs?: number;
  /** How to wait (tests replace it). */
  sleep?: (ms: number) => Promise<unknown>;
}

export async function retry<T>(work: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const start = Date.now();
  const sleep = opts.sleep ?? sleepFor;
  const delays = opts.delays[Symbol.iterator]();
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (err) {
      if (!opts.retryOn(err)) throw err;
      const next = delays.next();
      if (next.done) throw err;
      let wait = opts.jitter ? next.value * (0.5 + Math.random() / 2) : next.value;
      if (opts.budgetMs !== undefined) {
        const left = opts.budgetMs - (Date.now() - start);
        if (left <= 0) throw err;
        wait = Math.min(wait, left);
      }
      await sleep(wait);
    }
  }
}

/** An exponential schedule: first, first*2, ... capped at max; `count` waits, or endless when omitted. */
export function* exponential(first: number, max: number, count = Infinity): Generator<number> {
  for (let i = 0, d = first; i < count; i++, d = Math.min(d * 2, max)) yield d;
}
