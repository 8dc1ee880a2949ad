import { IntrinsicException } from '@nestjs/common';
import { ERROR_SPEC, ErrorCode } from './error-codes';

/**
 * A domain error: what the client sees as `extensions.code` / `retCode`.
 * Intrinsic: Nest's exception handler does not log it as an error with a
 * stack (an expected refusal, SPEC §8); errorLoggingPlugin logs it at info.
 */
export class LedgerError extends IntrinsicException {
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
