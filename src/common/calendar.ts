import { LedgerError } from './errors/ledger.error';

/** `YYYY-MM-DD` that names a real day (2023-02-29 does not). */
export function checkDate(field: string, text: unknown): string {
  const m = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = new Date(Date.UTC(y, mo - 1, d));
    if (y >= 1970 && t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d)
      return text as string;
  }
  throw LedgerError.invalid(field, 'must be a real date written YYYY-MM-DD');
}

/** `YYYY-MM`, a real month. */
export function checkMonth(field: string, text: unknown): string {
  const m = typeof text === 'string' ? /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text) : null;
  if (m && Number(m[1]) >= 1970) return text as string;
  throw LedgerError.invalid(field, 'must be a month written YYYY-MM');
}

/** The month before the one `now` falls in, in the time zone: what the 1st-of-month settlement settles. */
export function previousMonth(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(now);
  const y = Number(parts.find((p) => p.type === 'year')!.value);
  const m = Number(parts.find((p) => p.type === 'month')!.value);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
