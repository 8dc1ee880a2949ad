import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { AppLockService } from '../app-lock/app-lock.service';
import { checkDate } from '../common/calendar';
import { LedgerError } from '../common/errors/ledger.error';
import type { LedgerEnv } from '../config/env';
import { ReconcileInput } from './dto/reconcile.input';
import { ReconciliationReport, ReconCounts, ReconItem, ReconKind } from './reconciliation.model';
import { AccountEntity } from '../account/account.entity';

/** Their side: an entry and where it came from (list index or CSV line), for stable ordering. */
export interface TheirEntry {
  line: number;
  orderNo: string;
  amount: number;
}

/** One reconciliation, inside one transaction (their list lives in a temp table of it). */
export interface ReconSession {
  /** Adds a batch of their entries. */
  load(batch: TheirEntry[]): Promise<void>;
  /** Compares with our bills of the day, under the app's AppLock lease. */
  compare(): Promise<ReconCounts>;
  /** The differences of one kind, in orderNo order, a batch at a time. */
  items(kind: ReconKind, batchSize?: number): AsyncGenerator<ReconItem[]>;
}

const LEASE_TTL_SECONDS = 600;
const INSERT_BATCH = 10_000;

interface ItemRow {
  order_no: string;
  bill_id: number | null;
  our_amount: number | null;
  their_amount: number | null;
}

/**
 * Daily reconciliation (SPEC §5): the caller's list of successful operations
 * of a day against our SUCCESS bills that moved money (amount != 0) whose
 * created_at falls on that day in LEDGER_TIMEZONE.
 *
 * The comparison runs in PostgreSQL: their entries go into a temporary table
 * and one statement joins them with our bills (found through the
 * (app_id, created_at) index). Neither side is held in this process's memory,
 * so a list of a million lines costs the CLI no more than a short one.
 *
 * Matching is by orderNo and amount, as multisets: an orderNo that occurs more
 * than once on a side (our bill table allows one orderNo on several channels;
 * their list may repeat a line) pairs equal amounts first; leftovers of the
 * same orderNo pair up as amount mismatches; what is left after that is only
 * ours or only theirs. A line they sent twice for one bill of ours therefore
 * shows as one match and one `onlyTheirs`.
 */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly db: EntityManager,
    private readonly locks: AppLockService,
    private readonly config: ConfigService<LedgerEnv, true>,
  ) {}

  /** The GraphQL `reconcile`: at most 100,000 entries, the whole report in one answer. */
  reconcile(input: ReconcileInput): Promise<ReconciliationReport> {
    return this.session(input.appId, input.date, async (s) => {
      for (let i = 0; i < input.entries.length; i += INSERT_BATCH) {
        await s.load(
          input.entries
            .slice(i, i + INSERT_BATCH)
            .map((e, j) => ({ line: i + j + 1, orderNo: e.orderNo, amount: e.amount })),
        );
      }
      const counts = await s.compare();
      const collect = async (kind: ReconKind) => {
        const all: ReconItem[] = [];
        for await (const batch of s.items(kind)) all.push(...batch);
        return all;
      };
      return Object.assign(new ReconciliationReport(), {
        appId: input.appId,
        date: input.date,
        matched: counts.matched,
        onlyOurs: await collect('OURS'),
        onlyTheirs: await collect('THEIRS'),
        mismatched: await collect('MISMATCH'),
        ok: isOk(counts),
      });
    });
  }

  /** Runs one reconciliation of (appId, date); the CLI drives it to stream large files. */
  async session<T>(appId: number, date: string, work: (s: ReconSession) => Promise<T>): Promise<T> {
    checkDate('input.date', date);
    const tz = this.config.get('LEDGER_TIMEZONE', { infer: true });
    return this.db.transaction(async (tx) => {
      const known = await tx.getRepository(AccountEntity).existsBy({ appId });
      if (!known) throw LedgerError.notFound(`no account for app ${appId}`);
      // Sorting a million rows in memory rather than on disk; local to this transaction.
      await tx.query(`SET LOCAL work_mem = '64MB'`);
      await tx.query(
        `CREATE TEMP TABLE recon_theirs (line bigint NOT NULL, order_no text COLLATE "C" NOT NULL, amount bigint NOT NULL) ON COMMIT DROP`,
      );
      let theirs = 0;
      let cursors = 0;
      const session: ReconSession = {
        load: async (batch) => {
          if (!batch.length) return;
          await tx.query(
            'INSERT INTO recon_theirs (line, order_no, amount) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])',
            [batch.map((e) => e.line), batch.map((e) => e.orderNo), batch.map((e) => e.amount)],
          );
          theirs += batch.length;
        },
        compare: async () => {
          if (theirs > 10_000) await tx.query('ANALYZE recon_theirs');
          // Our bills are read by this one statement, while the app's lease is held.
          await this.locks.withLease(appId, 'reconciliation', LEASE_TTL_SECONDS, () =>
            tx.query(COMPARE_SQL, [appId, date, tz]),
          );
          const rows: { kind: ReconKind; n: number }[] = await tx.query(
            'SELECT kind, count(*)::bigint AS n FROM recon_result GROUP BY kind',
          );
          const n = (k: ReconKind) => rows.find((r) => r.kind === k)?.n ?? 0;
          const counts = {
            matched: theirs - n('THEIRS') - n('MISMATCH'),
            onlyOurs: n('OURS'),
            onlyTheirs: n('THEIRS'),
            mismatched: n('MISMATCH'),
          };
          // The RECONCILIATION_COMPLETED event (src/event), committed with this transaction.
          await tx.query(
            `SELECT ledger_emit_event('RECONCILIATION_COMPLETED', $1, $2)
              WHERE current_setting('ledger.events', true) IS DISTINCT FROM 'off'`,
            [appId, JSON.stringify({ appId, date, ok: isOk(counts), ...counts })],
          );
          return counts;
        },
        items: async function* (kind, batchSize = 5000) {
          // A server-side cursor: the differences are read a batch at a time, however many there are.
          const name = `recon_items_${++cursors}`;
          const literal = { OURS: `'OURS'`, THEIRS: `'THEIRS'`, MISMATCH: `'MISMATCH'` }[kind];
          await tx.query(
            `DECLARE ${name} NO SCROLL CURSOR FOR
               SELECT order_no, bill_id, our_amount, their_amount FROM recon_result
                WHERE kind = ${literal} ORDER BY order_no COLLATE "C", our_id, their_line`,
          );
          try {
            for (;;) {
              const rows: ItemRow[] = await tx.query(`FETCH ${Number(batchSize)} FROM ${name}`);
              if (!rows.length) return;
              yield rows.map((r) =>
                Object.assign(new ReconItem(), {
                  orderNo: r.order_no,
                  billId: r.bill_id,
                  ourAmount: r.our_amount,
                  theirAmount: r.their_amount,
                }),
              );
            }
          } finally {
            await tx.query(`CLOSE ${name}`);
          }
        },
      };
      return work(session);
    });
  }
}

export function isOk(c: ReconCounts): boolean {
  return c.onlyOurs === 0 && c.onlyTheirs === 0 && c.mismatched === 0;
}

/**
 * $1 app, $2 the day (YYYY-MM-DD), $3 LEDGER_TIMEZONE. See the class comment for the pairing rule.
 *
 * Built for the common case, where nearly everything matches: both sides are
 * counted per (orderNo, amount) with hash aggregates (no sorting of a million
 * rows); only the groups whose counts differ are looked at row by row, ours
 * through the (app_id, order_no, channel) index. In such a group the first
 * min(ours, theirs) rows matched; the rest pair up by orderNo as mismatches,
 * and what is left is only ours or only theirs. orderNo compares bytewise.
 */
const COMPARE_SQL = `
CREATE TEMP TABLE recon_result ON COMMIT DROP AS
WITH ours AS (
  SELECT order_no::text COLLATE "C" AS order_no, amount
    FROM bill
   WHERE app_id = $1 AND status = 'SUCCESS' AND amount <> 0
     AND created_at >= ($2::date)::timestamp AT TIME ZONE $3
     AND created_at <  ($2::date + 1)::timestamp AT TIME ZONE $3
), groups AS (
  SELECT COALESCE(o.order_no, t.order_no) AS order_no, COALESCE(o.amount, t.amount) AS amount,
         COALESCE(o.n, 0) AS ours_n, COALESCE(t.n, 0) AS theirs_n
    FROM (SELECT order_no, amount, count(*) AS n FROM ours GROUP BY 1, 2) o
    FULL JOIN (SELECT order_no, amount, count(*) AS n FROM recon_theirs GROUP BY 1, 2) t
      ON t.order_no = o.order_no AND t.amount = o.amount
), uneven AS MATERIALIZED (
  SELECT * FROM groups WHERE ours_n <> theirs_n
), rest_ours AS (
  SELECT id, bill_id, order_no, our_amount, row_number() OVER (PARTITION BY order_no ORDER BY id) AS k
    FROM (SELECT b.id, b.bill_id, u.order_no, b.amount AS our_amount, u.theirs_n,
                 row_number() OVER (PARTITION BY u.order_no, u.amount ORDER BY b.id) AS r
            FROM uneven u
            JOIN bill b ON b.app_id = $1 AND b.order_no = u.order_no AND b.amount = u.amount
           WHERE u.ours_n > u.theirs_n AND b.status = 'SUCCESS'
             AND b.created_at >= ($2::date)::timestamp AT TIME ZONE $3
             AND b.created_at <  ($2::date + 1)::timestamp AT TIME ZONE $3) x
   WHERE r > theirs_n
), rest_theirs AS (
  SELECT line, order_no, their_amount, row_number() OVER (PARTITION BY order_no ORDER BY line) AS k
    FROM (SELECT t.line, u.order_no, t.amount AS their_amount, u.ours_n,
                 row_number() OVER (PARTITION BY u.order_no, u.amount ORDER BY t.line) AS r
            FROM uneven u
            JOIN recon_theirs t ON t.order_no = u.order_no AND t.amount = u.amount
           WHERE u.theirs_n > u.ours_n) x
   WHERE r > ours_n
)
SELECT CASE WHEN ro.id IS NULL THEN 'THEIRS' WHEN rt.line IS NULL THEN 'OURS' ELSE 'MISMATCH' END AS kind,
       COALESCE(ro.order_no, rt.order_no) AS order_no, ro.bill_id, ro.our_amount, rt.their_amount,
       COALESCE(ro.id, 0) AS our_id, COALESCE(rt.line, 0) AS their_line
  FROM rest_ours ro FULL JOIN rest_theirs rt ON rt.order_no = ro.order_no AND rt.k = ro.k`;
