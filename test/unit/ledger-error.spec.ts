import { locatedError } from 'graphql';
import { ErrorCode } from '../../src/common/errors/error-codes';
import { LedgerError } from '../../src/common/errors/ledger.error';

describe('LedgerError', () => {
  it('is an answer, not a fault: it carries its code, details and message, and no stack frames', () => {
    const e = new LedgerError(ErrorCode.INSUFFICIENT_BALANCE, 'available 5 < 7', { field: 'input.amount' });
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ code: 'INSUFFICIENT_BALANCE', details: { field: 'input.amount' }, retCode: 3 });
    expect(e.stack).toBe('LedgerError: available 5 < 7');
    // GraphQL's wrapper copies the stack it finds: no frames to format there either.
    expect(locatedError(e, [], ['pay']).stack).toBe('LedgerError: available 5 < 7');
  });

  it('leaves stack traces of every other error as they were', () => {
    const limit = Error.stackTraceLimit;
    LedgerError.invalid('input.amount', 'must be at least 1');
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('a fault').stack).toMatch(/\n\s+at /);
  });
});
