import { finished, type Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { MAX_CENTS, ORDER_NO_PATTERN } from '../common/limits';
import type { TheirEntry } from './reconciliation.service';

/** A record `orderNo,amount` as an entry; undefined if it is not one. */
function entryOf(record: string[], line: number): TheirEntry | undefined {
  if (record.length !== 2) return undefined;
  const [orderNo, amountText] = record;
  if (!ORDER_NO_PATTERN.test(orderNo) || !/^[+-]?\d+$/.test(amountText)) return undefined;
  const amount = Number(amountText);
  return Number.isSafeInteger(amount) && Math.abs(amount) <= MAX_CENTS ? { line, orderNo, amount } : undefined;
}

/**
 * The caller's list for a reconciliation: CSV (`csv-parse`), one
 * `orderNo,amount` per line, fields optionally double-quoted and padded with
 * blanks, blank lines skipped, and a first line that is not an entry taken as
 * a header. Any other line that is not an entry stops the reading with an
 * error naming `name` and the line. Streams: entries come in batches of
 * `batchSize` (the last one shorter), one batch in memory at a time.
 *
 * Line numbers are counted here, one record per line: blank lines are
 * records of empty fields that we skip ourselves, rather than csv-parse's
 * `info` (and its skip options), which builds two ~20-field objects per
 * record. For a million-line file that was ~300 MB of short-lived garbage,
 * enough to promote the batches being read into the old generation and to
 * raise the CLI's peak memory by ~45 MB. A quoted field spanning lines (never
 * a valid orderNo or amount) is refused at the line where its record starts.
 */
export async function* readTheirCsv(input: Readable, name: string, batchSize = 1_000): AsyncGenerator<TheirEntry[]> {
  const parser = input.pipe(
    parse({
      trim: true,
      relax_column_count: true,
    }),
  );
  // The records are drained with read() as they come, a batch per yield: the stream's own
  // async iterator (and a generator yielding each entry) cost two promises per line.
  let wake = () => {};
  let failure: Error | null | undefined;
  let ended = false;
  parser.on('readable', () => wake());
  finished(parser, (err) => {
    failure = err;
    ended = true;
    wake();
  });
  let entries = 0;
  let line = 0;
  let batch: TheirEntry[] = [];
  try {
    for (;;) {
      for (let record: string[] | null; (record = parser.read() as string[] | null) !== null;) {
        line++;
        if (record.every((v) => v === '')) continue; // a blank line
        const entry = entryOf(record, line);
        if (entry) {
          entries++;
          batch.push(entry);
          if (batch.length === batchSize) {
            yield batch;
            batch = [];
          }
        } else if (!(entries === 0 && line === 1)) {
          throw new Error(`${name} line ${line}: expected orderNo,amount (got "${record.join(',').slice(0, 80)}")`);
        }
      }
      if (failure) throw failure;
      if (ended) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    if (batch.length) yield batch;
  } catch (e) {
    if (e instanceof CsvError) {
      const line = typeof e.lines === 'number' ? ` line ${e.lines}` : '';
      throw new Error(`${name}${line}: ${e.message}`, { cause: e });
    }
    throw e;
  } finally {
    input.destroy();
    parser.destroy();
  }
}
