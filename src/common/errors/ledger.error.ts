import { ERROR_SPEC, ErrorCode } from './error-codes';

/**
 * A domain error: what the client sees as `extensions.code` / `retCode`.
 * Plain (no Nest import), so pure code and its unit tests can use it; Nest's
 * exception handler does not log it (GraphqlExceptionFilter), errorLoggingPlugin
 * logs it at info without a stack.
 *
 * It carries no stack trace: it is an answer (a refusal the ledger chose to
 * make), never a fault, and nothing logs or returns its stack. Capturing one, and
 * formatting it when GraphQL copies it into the GraphQLError that wraps it, cost
 * every refusal 10–25 µs of the service's CPU (docs/benchmark.md). Faults are
 * other errors and keep theirs.
 */
export class LedgerError extends Error {
  declare readonly code: ErrorCode;
  /** Extra, client-safe extensions (for example `field` on INVALID_ARGUMENT). */
  declare readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.code = code;
    this.details = details;
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
