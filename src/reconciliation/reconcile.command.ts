import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigService } from '@nestjs/config';
import { Command, CommandRunner, Option } from 'nest-commander';
import { grouped, progressBar } from '../common/cli-progress';
import { MAX_APP_ID } from '../common/limits';
import type { LedgerEnv } from '../config/env';
import { ReconCounts, ReconItem, ReconKind } from './reconciliation.model';
import { isOk, ReconciliationService } from './reconciliation.service';
import { readTheirCsv } from './their-csv';

interface ReconcileOptions {
  app: number;
  date: string;
  file: string;
  out?: string;
}

/**
 * Entries per INSERT. Small on purpose: a batch lives while it is read and while it is
 * inserted; at 5,000 that outlived two young-generation GCs (the per-line reader allocated
 * ~14 MB per ~4,600 lines), so every entry was promoted and the old generation grew to
 * ~150 MB of garbage before a full GC; at 1,000 they mostly die young (-25 MB of peak
 * RSS for a million lines) for a few hundred more round trips in one transaction.
 */
const BATCH = 1_000;
const SHOWN = 10;
const KINDS: { kind: ReconKind; key: 'onlyOurs' | 'onlyTheirs' | 'mismatched'; label: string }[] = [
  { kind: 'OURS', key: 'onlyOurs', label: 'only ours' },
  { kind: 'THEIRS', key: 'onlyTheirs', label: 'only theirs' },
  { kind: 'MISMATCH', key: 'mismatched', label: 'mismatched' },
];

/**
 * `npm run cli -- reconcile --app N --date YYYY-MM-DD --file theirs.csv [--out report.json]`
 *
 * Streams the CSV (one `orderNo,amount` per line, an optional header line;
 * read by `readTheirCsv`) into the reconciliation in batches, with a progress bar over the file's
 * bytes; PostgreSQL does the comparison, and the differences are streamed back
 * from a cursor into the JSON report, so memory stays flat whatever the file's
 * size. Prints a summary; exit code 1 when the day does not reconcile.
 */
@Command({
  name: 'reconcile',
  description: "Reconcile a day of an app's bills with the caller's CSV (exit code 1 if not ok)",
})
export class ReconcileCommand extends CommandRunner {
  constructor(
    private readonly recon: ReconciliationService,
    private readonly config: ConfigService<LedgerEnv, true>,
  ) {
    super();
  }

  @Option({ flags: '--app <appId>', description: 'the app', required: true })
  parseApp(v: string): number {
    if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > MAX_APP_ID)
      throw new Error(`--app must be a positive integer (got "${v}")`);
    return Number(v);
  }

  @Option({ flags: '--date <YYYY-MM-DD>', description: 'the day, in LEDGER_TIMEZONE', required: true })
  parseDate(v: string): string {
    return v;
  }

  @Option({ flags: '--file <csv>', description: "the caller's list: orderNo,amount per line", required: true })
  parseFile(v: string): string {
    return v;
  }

  @Option({ flags: '--out <json>', description: 'where to write the report (default reconcile-<app>-<date>.json)' })
  parseOut(v: string): string {
    return v;
  }

  async run(_args: string[], opts: ReconcileOptions): Promise<void> {
    const file = resolve(opts.file);
    const out = resolve(opts.out ?? `reconcile-${opts.app}-${opts.date}.json`);
    const size = statSync(file).size;
    const shown = new Map<ReconKind, ReconItem[]>();
    let lines = 0;

    const counts = await this.recon.session(opts.app, opts.date, async (s) => {
      const bar = progressBar('read', 'bytes');
      bar.start(size, 0);
      const input = createReadStream(file);
      let pending: Promise<void> = Promise.resolve();
      for await (const batch of readTheirCsv(input, opts.file, BATCH)) {
        lines += batch.length;
        // One batch in the database while the next is read: at most two batches in memory.
        await pending;
        pending = s.load(batch);
        pending.catch(() => undefined); // awaited (and thrown) before the next batch
        bar.update(input.bytesRead);
      }
      await pending;
      bar.update(size);
      bar.stop();

      const counts = await s.compare();
      await this.writeReport(out, opts, counts, s.items.bind(s), shown);
      return counts;
    });

    const ok = isOk(counts);
    const tz = this.config.get('LEDGER_TIMEZONE', { infer: true });
    console.log(`Reconciliation of app ${opts.app} on ${opts.date} (${tz}): ${ok ? 'OK' : 'NOT OK'}`);
    console.log(`  their entries  ${grouped(lines)}`);
    console.log(`  matched        ${grouped(counts.matched)}`);
    for (const k of KINDS) {
      console.log(`  ${k.label.padEnd(14)} ${grouped(counts[k.key])}`);
      for (const i of shown.get(k.kind) ?? []) {
        console.log(
          `      ${i.orderNo}  billId ${i.billId ?? '-'}  ours ${i.ourAmount ?? '-'}  theirs ${i.theirAmount ?? '-'}`,
        );
      }
      if (counts[k.key] > SHOWN) console.log(`      ... ${grouped(counts[k.key] - SHOWN)} more in the report`);
    }
    console.log(`  report: ${out}`);
    console.log(`  peak memory: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
    if (!ok) process.exitCode = 1;
  }

  /** The report as JSON, the lists streamed from the database a batch at a time. */
  private async writeReport(
    out: string,
    opts: ReconcileOptions,
    counts: ReconCounts,
    items: (kind: ReconKind) => AsyncGenerator<ReconItem[]>,
    shown: Map<ReconKind, ReconItem[]>,
  ): Promise<void> {
    const fh = await open(out, 'w');
    try {
      const head = { appId: opts.app, date: opts.date, ok: isOk(counts), matched: counts.matched, counts };
      await fh.write(JSON.stringify(head).slice(0, -1));
      for (const k of KINDS) {
        await fh.write(`,${JSON.stringify(k.key)}:[`);
        let first = true;
        for await (const batch of items(k.kind)) {
          const list = shown.get(k.kind) ?? [];
          list.push(...batch.slice(0, SHOWN - list.length));
          shown.set(k.kind, list);
          const text = batch.map((i) => JSON.stringify({ ...i })).join(',');
          await fh.write(first ? text : `,${text}`);
          first = false;
        }
        await fh.write(']');
      }
      await fh.write('}\n');
    } finally {
      await fh.close();
    }
  }
}
