import { registerEnumType } from '@nestjs/graphql';
import { ERROR_SPEC, ErrorCode } from './error-codes';

/**
 * What a client does with each code. `retry` is the client kit's rule
 * (examples/typescript-client/src/retry.ts): only faults on our side and a
 * duplicate still running are retried automatically, always with the same
 * orderNo; a positive code is an answer, and a stored one replays forever.
 */
export const ERROR_GUIDE: Record<ErrorCode, { meaning: string; retry: string }> = {
  SERVER_BUSY: {
    meaning:
      'A lock wait or the connection pool ran out, or the per-key rate limit was hit (extensions.retryAfterSeconds).',
    retry: 'Yes: retry with the same orderNo after a backoff (or retryAfterSeconds).',
  },
  DB_READ_ERROR: {
    meaning: 'A database read failed (a fault on our side).',
    retry: 'Yes: retry after a backoff.',
  },
  DB_WRITE_ERROR: {
    meaning:
      'A database write failed (a fault on our side); nothing was applied, or it was applied and a retry replays it.',
    retry: 'Yes: retry with the same orderNo; it is always safe.',
  },
  NOT_FOUND: {
    meaning: 'No such account, bill, hold, price, coupon or coupon template.',
    retry: 'No. Stored when a money mutation answers it: the same orderNo replays it.',
  },
  UNAUTHENTICATED: {
    meaning: 'No bearer key, or an unknown or revoked one.',
    retry: 'No: fix the Authorization header.',
  },
  FORBIDDEN: {
    meaning: "The key's role may not call this operation, or an APP key named another app.",
    retry: 'No: use a key with the right role or app.',
  },
  INSUFFICIENT_BALANCE: {
    meaning: 'The available balance (balance − held) is below the amount. A FAILED bill records the attempt.',
    retry: 'No. Stored: the same orderNo replays it; after a recharge, pay with a new orderNo.',
  },
  ACCOUNT_FROZEN: {
    meaning: 'The account is frozen; pays and holds are refused (a FAILED bill records the attempt).',
    retry: 'No. Stored: after unfreezeAccount, use a new orderNo.',
  },
  ACCOUNT_LOCKED: {
    meaning:
      "Another owner holds the app's AppLock lease (settlement, reconciliation, maintenance) past APPLOCK_WAIT_MS.",
    retry: 'Not automatically. Not stored: the same orderNo may be sent again once the lease ends.',
  },
  INVALID_ARGUMENT: {
    meaning: 'Bad input; extensions.field names it (extensions.reason for documents refused by a limit).',
    retry: 'No: fix the input. Not stored: the same orderNo may be used for the corrected request.',
  },
  COUPON_UNAVAILABLE: {
    meaning: 'The coupon is out of stock, over the per-app limit, used, expired, or its minSpend is not met.',
    retry: 'No. Stored: the same orderNo replays it.',
  },
  HOLD_NOT_OPEN: {
    meaning: 'The hold was already captured, released or expired.',
    retry: 'No. Stored: the same orderNo replays it.',
  },
  ALREADY_REVERSED: {
    meaning: 'The pay was already rolled back.',
    retry: 'No. Stored: the same orderNo replays it.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    meaning: 'This orderNo was used before with a different input (null and absent fields count as the same).',
    retry: 'No: a new order needs a new orderNo. Nothing changed.',
  },
  REQUEST_IN_PROGRESS: {
    meaning: 'The same orderNo is still running elsewhere past IDEMPOTENCY_WAIT_MS.',
    retry: 'Yes: retry with the same orderNo; it then replays the first answer.',
  },
};

/** The codes in the schema (orphaned: errors are not fields, so graphql.config.ts adds the enum). */
registerEnumType(ErrorCode, {
  name: 'ErrorCode',
  description:
    'The closed set of `extensions.code` values of every error answer; `extensions.retCode` is the number beside ' +
    'each. Negative retCodes are faults on our side: retry with the same orderNo. Positive ones are answers; ' +
    'the "stored" ones are kept with the orderNo and every retry replays them (`extensions.replayed: true`). ' +
    'Any operation may answer UNAUTHENTICATED, FORBIDDEN, INVALID_ARGUMENT, SERVER_BUSY and DB_READ_ERROR ' +
    '(queries) or DB_WRITE_ERROR (mutations). See docs/errors.md.',
  valuesMap: Object.fromEntries(
    Object.values(ErrorCode).map((code) => {
      const { retCode, stored } = ERROR_SPEC[code];
      const { meaning, retry } = ERROR_GUIDE[code];
      return [code, { description: `retCode ${retCode}${stored ? ', stored' : ''}. ${meaning} Retry: ${retry}` }];
    }),
  ),
});

export { ErrorCode };
