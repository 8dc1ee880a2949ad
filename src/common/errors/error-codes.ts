/**
 * The closed set of API errors (SPEC §7). `retCode` is the seed's numeric
 * return code; `stored` says whether the answer is kept for idempotent replay
 * (business outcomes are; system errors and bad input are not, so a retry
 * runs afresh).
 */
export enum ErrorCode {
  SERVER_BUSY = 'SERVER_BUSY',
  DB_READ_ERROR = 'DB_READ_ERROR',
  DB_WRITE_ERROR = 'DB_WRITE_ERROR',
  NOT_FOUND = 'NOT_FOUND',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  INSUFFICIENT_BALANCE = 'INSUFFICIENT_BALANCE',
  ACCOUNT_FROZEN = 'ACCOUNT_FROZEN',
  ACCOUNT_LOCKED = 'ACCOUNT_LOCKED',
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  COUPON_UNAVAILABLE = 'COUPON_UNAVAILABLE',
  HOLD_NOT_OPEN = 'HOLD_NOT_OPEN',
  ALREADY_REVERSED = 'ALREADY_REVERSED',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  REQUEST_IN_PROGRESS = 'REQUEST_IN_PROGRESS',
}

export const ERROR_SPEC: Record<ErrorCode, { retCode: number; stored: boolean }> = {
  SERVER_BUSY: { retCode: -1, stored: false },
  DB_READ_ERROR: { retCode: -2, stored: false },
  DB_WRITE_ERROR: { retCode: -3, stored: false },
  NOT_FOUND: { retCode: 1, stored: true },
  UNAUTHENTICATED: { retCode: 2, stored: false },
  FORBIDDEN: { retCode: 2, stored: false },
  INSUFFICIENT_BALANCE: { retCode: 3, stored: true },
  ACCOUNT_FROZEN: { retCode: 4, stored: true },
  ACCOUNT_LOCKED: { retCode: 5, stored: false },
  INVALID_ARGUMENT: { retCode: 6, stored: false },
  COUPON_UNAVAILABLE: { retCode: 7, stored: true },
  HOLD_NOT_OPEN: { retCode: 8, stored: true },
  ALREADY_REVERSED: { retCode: 9, stored: true },
  IDEMPOTENCY_KEY_REUSED: { retCode: 10, stored: false },
  REQUEST_IN_PROGRESS: { retCode: 11, stored: false },
};
