import { Injectable } from '@nestjs/common';
import { LedgerError } from '../common/errors/ledger.error';
import { AuditReport } from './audit.model';
import { EntityManager, MoreThan } from 'typeorm';
import { AccountEntity } from '../account/account.entity';

/** Break messages listed per account; past this, one line counts the rest. */
const MAX_BREAKS = 100;

interface SumRow {
  app_id: number;
  balance: number;
  held: number;
  bill_sum: number;
  last_new: number | null;
  last_id: number | null;
}

interface BreakRow {
  app_id: number;
  id: number;
  old_balance: number;
  amount: number;
  new_balance: number;
  prev_id: number | null;
  prev_new: number | null;
  n: number;
  total: number;
}

/**
 * The ledger audit: for each account, its SUCCESS bills must sum to the
 * balance, each must satisfy old + amount = new, and they must chain in id
 * order (ids are taken under the account's row lock, so id order is the order
 * the postings were applied in), starting from 0 and ending at the balance.
 *
 * Accounts are audited in sets (the CLI passes a page of app ids) inside one
 * REPEATABLE READ snapshot, so a posting committing meanwhile cannot show up
 * as a false break. Every query reaches bills through the primary key
 * (app_id, id): cost grows with the audited accounts' own bills only.
 */
@Injectable()
export class AuditService {
  constructor(private readonly db: EntityManager) {}

  async auditAccount(appId: number): Promise<AuditReport> {
    const [report] = await this.auditAccounts([appId]);
    if (!report) throw LedgerError.notFound(`no account for app ${appId}`);
    return report;
  }

  /** Audits the given accounts (those that exist), in app id order. */
  auditAccounts(appIds: number[]): Promise<AuditReport[]> {
    return this.db.transaction('REPEATABLE READ', async (tx) => {
      const sums: SumRow[] = await tx.query(
        `SELECT a.app_id, a.balance, a.held,
                COALESCE(s.bill_sum, 0)::bigint AS bill_sum, l.new_balance AS last_new, l.id AS last_id
           FROM account a
           LEFT JOIN LATERAL (
             SELECT sum(amount) AS bill_sum FROM bill b WHERE b.app_id = a.app_id AND b.status = 'SUCCESS'
           ) s ON true
           LEFT JOIN LATERAL (
             SELECT id, new_balance FROM bill b WHERE b.app_id = a.app_id AND b.status = 'SUCCESS'
              ORDER BY id DESC LIMIT 1
           ) l ON true
          WHERE a.app_id = ANY($1::int[])
          ORDER BY a.app_id`,
        [appIds],
      );
      if (!sums.length) return [];
      const breaks: BreakRow[] = await tx.query(
        `SELECT * FROM (
           SELECT t.*, row_number() OVER (PARTITION BY app_id ORDER BY id) AS n,
                  count(*) OVER (PARTITION BY app_id) AS total
             FROM (
               SELECT app_id, id, old_balance, amount, new_balance,
                      lag(id) OVER w AS prev_id, lag(new_balance) OVER w AS prev_new
                 FROM bill
                WHERE app_id = ANY($1::int[]) AND status = 'SUCCESS'
               WINDOW w AS (PARTITION BY app_id ORDER BY id)
             ) t
            WHERE old_balance + amount <> new_balance
               OR (prev_id IS NULL AND old_balance <> 0)
               OR (prev_id IS NOT NULL AND prev_new <> old_balance)
         ) x
         WHERE n <= $2
         ORDER BY app_id, id`,
        [appIds, MAX_BREAKS],
      );
      const holds = await this.openHoldSums(tx, appIds);

      const byApp = new Map<number, string[]>();
      for (const b of breaks) {
        const list = byApp.get(b.app_id) ?? [];
        if (b.old_balance + b.amount !== b.new_balance) {
          list.push(`bill ${b.id}: oldBalance ${b.old_balance} + amount ${b.amount} != newBalance ${b.new_balance}`);
        }
        if (b.prev_id === null && b.old_balance !== 0) {
          list.push(`bill ${b.id}: the first applied bill starts from ${b.old_balance}, not 0`);
        } else if (b.prev_id !== null && b.prev_new !== b.old_balance) {
          list.push(
            `bill ${b.id}: oldBalance ${b.old_balance} does not chain to newBalance ${b.prev_new} of bill ${b.prev_id}`,
          );
        }
        if (b.n === MAX_BREAKS && b.total > MAX_BREAKS) list.push(`... and ${b.total - MAX_BREAKS} more broken bills`);
        byApp.set(b.app_id, list);
      }

      return sums.map((s) => {
        const found = byApp.get(s.app_id) ?? [];
        const openHoldSum = holds.get(s.app_id) ?? 0;
        if (s.bill_sum !== s.balance) found.unshift(`balance ${s.balance} != sum of SUCCESS bills ${s.bill_sum}`);
        if ((s.last_new ?? 0) !== s.balance) {
          found.push(
            s.last_id === null
              ? `balance ${s.balance} but no applied bill`
              : `balance ${s.balance} != newBalance ${s.last_new} of the last applied bill ${s.last_id}`,
          );
        }
        if (openHoldSum !== s.held) found.push(`held ${s.held} != sum of open holds ${openHoldSum}`);
        return Object.assign(new AuditReport(), {
          appId: s.app_id,
          ok: found.length === 0,
          balance: s.balance,
          billSum: s.bill_sum,
          held: s.held,
          openHoldSum,
          breaks: found,
        });
      });
    });
  }

  /** Sum of OPEN holds per app (the money they reserve). */
  private async openHoldSums(tx: EntityManager, appIds: number[]): Promise<Map<number, number>> {
    const rows: { app_id: number; sum: number }[] = await tx.query(
      `SELECT app_id, sum(amount)::bigint AS sum FROM hold
        WHERE app_id = ANY($1::int[]) AND status = 'OPEN' GROUP BY app_id`,
      [appIds],
    );
    return new Map(rows.map((r) => [r.app_id, r.sum]));
  }

  /** Pages through every account id (keyset), for the CLI. */
  async accountIds(after: number, limit: number): Promise<number[]> {
    const rows = await this.db.getRepository(AccountEntity).find({
      select: { appId: true },
      where: { appId: MoreThan(after) },
      order: { appId: 'ASC' },
      take: limit,
    });
    return rows.map((r) => r.appId);
  }

  accountCount(): Promise<number> {
    return this.db.getRepository(AccountEntity).count();
  }
}
