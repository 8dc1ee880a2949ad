import { checkDate, checkMonth, previousMonth } from '../../src/common/calendar';
import { ErrorCode } from '../../src/common/errors/error-codes';
import { LedgerError } from '../../src/common/errors/ledger.error';

function refusal(fn: () => unknown): LedgerError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LedgerError) return e;
    throw e;
  }
  throw new Error('expected a LedgerError');
}

describe('checkDate', () => {
  it.each(['2024-02-29', '1970-01-01', '2023-12-31'])('accepts the real day %s', (d) => {
    expect(checkDate('date', d)).toBe(d);
  });

  it.each(['2023-02-29', '2024-13-01', '2024-04-31', '2024-3-5', '1969-12-31', '20240315', '', 42, null])(
    'refuses %p as INVALID_ARGUMENT naming the field',
    (d) => {
      const e = refusal(() => checkDate('from', d));
      expect(e.code).toBe(ErrorCode.INVALID_ARGUMENT);
      expect(e.details).toEqual({ field: 'from' });
    },
  );
});

describe('checkMonth', () => {
  it.each(['2024-01', '2024-12', '1970-06'])('accepts %s', (m) => {
    expect(checkMonth('month', m)).toBe(m);
  });

  it.each(['2024-00', '2024-13', '2024-1', '1969-12', '2024-01-01', undefined])('refuses %p naming the field', (m) => {
    const e = refusal(() => checkMonth('month', m));
    expect(e.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(e.details).toEqual({ field: 'month' });
  });
});

describe('previousMonth', () => {
  it('is the month before, across a year boundary', () => {
    expect(previousMonth(new Date('2024-03-15T12:00:00Z'), 'UTC')).toBe('2024-02');
    expect(previousMonth(new Date('2024-01-01T00:05:00Z'), 'UTC')).toBe('2023-12');
  });

  it('reads the month in the given time zone', () => {
    // 2024-03-31 20:00 UTC is already April 1st in Shanghai (UTC+8): the month before is March.
    const now = new Date('2024-03-31T20:00:00Z');
    expect(previousMonth(now, 'UTC')).toBe('2024-02');
    expect(previousMonth(now, 'Asia/Shanghai')).toBe('2024-03');
  });
});
