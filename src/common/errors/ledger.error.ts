import { ERROR_SPEC, ErrorCode } from './error-codes';

/**
 * A domain error: what the client sees as `extensions.code` / `retCode`.
 * Plain (no Nest import), so pure code and its unit tests can use it; Nest's
 * exception handler does not log it (GraphqlExceptionFilter), errorLoggingPlugin
 * logs it at info without a stack.
 */
export class LedgerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra, client-safe extensions (for example `field` on INVALID_ARGUMENT). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'LedgerError';
  }

  get retCode(): number {
    return ERROR_SPEC[this.code].retCode;
  }

  get stored(): boolean {
    return ERROR_SPEC[this.code].stored;
  }

  static invalid(field: string, message: string): LedgerError {
    return new LedgerError(ErrorCode.INVALID_ARGUMENT, `${field}: ${message}`, { field });
  }

  static notFound(message: string): LedgerError {
    return new LedgerError(ErrorCode.NOT_FOUND, message);
  }
}
