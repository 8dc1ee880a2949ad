import { ErrorCode } from './error-codes';

/** PostgreSQL errors by SQLSTATE, never by message text. */
export const SQLSTATE = {
  UNIQUE_VIOLATION: '23505',
  CHECK_VIOLATION: '23514',
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK_DETECTED: '40P01',
  LOCK_NOT_AVAILABLE: '55P03',
  QUERY_CANCELED: '57014',
  TOO_MANY_CONNECTIONS: '53300',
  ADMIN_SHUTDOWN: '57P01',
  CRASH_SHUTDOWN: '57P02',
  CANNOT_CONNECT_NOW: '57P03',
} as const;

/** Socket-level failures reaching PostgreSQL: Node's error codes, no SQLSTATE. */
const NETWORK_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * The database is down, restarting or unreachable (SQLSTATE class 08, the
 * 57P0x shutdown codes, or a socket error). Still a DB_READ/WRITE_ERROR to the
 * client; nothing was applied, and a retry with the same orderNo is safe.
 */
export function isConnectionError(err: unknown): boolean {
  const s = sqlState(err);
  if (s)
    return (
      s.startsWith('08') ||
      s === SQLSTATE.ADMIN_SHUTDOWN ||
      s === SQLSTATE.CRASH_SHUTDOWN ||
      s === SQLSTATE.CANNOT_CONNECT_NOW
    );
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const errno = e?.driverError?.code ?? e?.code;
  return typeof errno === 'string' && NETWORK_ERRNOS.has(errno);
}

export function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function constraintName(err: unknown): string | undefined {
  const e = err as { constraint?: string; driverError?: { constraint?: string } } | null;
  return e?.driverError?.constraint ?? e?.constraint;
}

/** Transient conflicts where the whole transaction may simply run again. */
export function isRetryableConflict(err: unknown): boolean {
  const s = sqlState(err);
  return s === SQLSTATE.SERIALIZATION_FAILURE || s === SQLSTATE.DEADLOCK_DETECTED;
}

/**
 * The code a system error is reported as: contention is SERVER_BUSY; a lost
 * or failing database is a read or write error depending on the operation.
 */
export function systemErrorCode(err: unknown, operation: 'query' | 'mutation'): ErrorCode {
  const s = sqlState(err);
  if (
    s === SQLSTATE.LOCK_NOT_AVAILABLE ||
    s === SQLSTATE.QUERY_CANCELED ||
    s === SQLSTATE.TOO_MANY_CONNECTIONS ||
    s === SQLSTATE.SERIALIZATION_FAILURE ||
    s === SQLSTATE.DEADLOCK_DETECTED
  ) {
    return ErrorCode.SERVER_BUSY;
  }
  return operation === 'mutation' ? ErrorCode.DB_WRITE_ERROR : ErrorCode.DB_READ_ERROR;
}
