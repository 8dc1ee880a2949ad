import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client/errors';

/**
 * Sends one request until it gets an answer worth keeping. The caller fixes
 * the variables, orderNo included, before the first attempt, and `send` must
 * reuse them: a retry with the same orderNo is always safe (the ledger applies
 * an order once and answers every retry with the first answer), a retry with a
 * new one could pay twice.
 *
 * Retried: negative retCodes (a fault on the server's side: SERVER_BUSY,
 * DB_READ_ERROR, DB_WRITE_ERROR), REQUEST_IN_PROGRESS (the same orderNo is
 * still running elsewhere), and network failures (no answer at all: the
 * request may or may not have been applied, which is why the orderNo stays).
 * Never retried: a positive retCode. It is the answer (INSUFFICIENT_BALANCE,
 * ACCOUNT_FROZEN...); the stored ones would only be replayed.
 */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** The first backoff; each next one doubles, up to maxDelayMs, with full jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export async function withRetry<T>(send: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 6, baseDelayMs = 100, maxDelayMs = 5_000, onRetry } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      const hinted = retryAfterMs(error);
      const delayMs = hinted ?? Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      onRetry?.(error, attempt, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

export function isRetryable(error: unknown): boolean {
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors.some((e) => {
      const { retCode, code } = e.extensions ?? {};
      return (typeof retCode === 'number' && retCode < 0) || code === 'REQUEST_IN_PROGRESS';
    });
  }
  // An HTTP answer that is not GraphQL: a proxy's 502/503, a server shutting down.
  if (ServerError.is(error)) return error.statusCode >= 500;
  // A body cut short.
  if (ServerParseError.is(error)) return true;
  // fetch() rejects with a TypeError when there is no answer (refused, reset, dropped).
  // By name, not instanceof: fetch's errors may come from another realm (a test runner's sandbox).
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'TypeError';
}

/** SERVER_BUSY from the rate limiter says when to come back. */
function retryAfterMs(error: unknown): number | undefined {
  if (!CombinedGraphQLErrors.is(error)) return undefined;
  const s = error.errors.find((e) => typeof e.extensions?.retryAfterSeconds === 'number')?.extensions
    ?.retryAfterSeconds as number | undefined;
  return s === undefined ? undefined : s * 1000;
}
