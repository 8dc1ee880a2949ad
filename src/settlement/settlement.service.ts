import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppLockService } from '../app-lock/app-lock.service';
import { AccountService } from '../account/account.service';
import { checkMonth } from '../common/calendar';
import { ErrorCode } from '../common/errors/error-codes';
import { LedgerError } from '../common/errors/ledger.error';
import { retry } from '../common/retry';
import { command } from '../common/idempotency/command';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import type { LedgerEnv } from '../config/env';
import { SettlementReport, Statement } from './settlement.model';
import { StatementEntity } from './statement.entity';
import { EntityManager, LessThan, MoreThan } from 'typeorm';
import { AccountEntity } from '../account/account.entity';

/** What settling one account came to. */
type AccountOutcome = { kind: 'settled'; charged: number; frozen: boolean } | { kind: 'already' } | { kind: 'locked' };

export type SettlementProgress = (done: number, total: number) => void;

const PAGE = 500;
const LEASE_TTL_SECONDS = 300;
/** Waits for a busy lease (a concurrent run, a reconciliation): about 6 s in all, then the account is left for a rerun. */
const LEASE_RETRY_MS = [50, 100, 200, 400, 800, 1600, 3000];

interface Subscription {
  name: string;
  quantity: number;
  unit_price: number;
  bill_id: number;
}

interface Figures {
  opening: number;
  closing: number;
  credits: number;
  debits: number;
  bill_count: number;
}

/**
 * Monthly settlement (SPEC §5). For every account that existed before the
 * month ended, under the app's AppLock lease and in one transaction:
 *
 * - a Statement of the month (in LEDGER_TIMEZONE) from the ledger: opening
 *   balance (the balance after the last SUCCESS bill before the month),
 *   credits, debits, closing balance (after the month's last SUCCESS bill),
 *   the number of those bills, and `verified` = closing equals opening plus
 *   the month's SUCCESS amounts;
 * - one SETTLEMENT bill (orderNo `settle:YYYY-MM`) for the month's MONTHLY
 *   subscriptions: entitlements bought before the month began (the purchase
 *   pay paid for the month it was made in) and not ended before the month
 *   ended, each unit_price × quantity as priced at purchase. No bill when
 *   nothing is due. The bill is dated when the settlement runs, so it shows in
 *   the next month's statement, not in the one it settles.
 *
 * Charging is all or nothing: an account whose available balance is below
 * the sum due is charged nothing; its SETTLEMENT bill is written FAILED
 * (retCode 3, as every refused posting), the whole sum is recorded as the
 * statement's arrears, and the account is frozen with reason 'arrears'. This
 * keeps one bill per month and one figure to collect (recharge, then
 * unfreeze) rather than a debt split over a partial charge and a remainder.
 * A frozen account is still charged when it can pay: freezing stops the app's
 * spending, not what it owes.
 *
 * Idempotent: the statement's key (app_id, month) is claimed in the same
 * transaction as the charge, so a second run, or a concurrent one on another
 * instance (which also waits for the lease), finds it and changes nothing;
 * the bill's unique (app_id, order_no, channel) guards the charge again.
 */
@Injectable()
export class SettlementService {
  private readonly logger = new Logger(SettlementService.name);

  constructor(
    private readonly db: EntityManager,
    private readonly locks: AppLockService,
    private readonly idempotency: IdempotencyService,
    private readonly accounts: AccountService,
    private readonly config: ConfigService<LedgerEnv, true>,
  ) {}

  async statement(appId: number, month: string): Promise<Statement | null> {
    checkMonth('month', month);
    return this.db.getRepository(StatementEntity).findOneBy({ appId, month });
  }

  async settleMonth(month: string, onProgress?: SettlementProgress): Promise<SettlementReport> {
    checkMonth('month', month);
    const tz = this.config.get('LEDGER_TIMEZONE', { infer: true });
    const [bounds]: { start: Date; end: Date; ended: boolean }[] = await this.db.query(
      `SELECT s AS start, e AS "end", now() >= e AS ended
         FROM (SELECT ($1 || '-01')::date::timestamp AT TIME ZONE $2 AS s,
                      (($1 || '-01')::date + 1 * interval '1 month')::timestamp AT TIME ZONE $2 AS e) b`,
      [month, tz],
    );
    if (!bounds.ended) throw LedgerError.invalid('month', `${month} has not ended yet in ${tz}`);

    const accounts = this.db.getRepository(AccountEntity);
    const total = await accounts.countBy({ createdAt: LessThan(bounds.end) });
    const report = Object.assign(new SettlementReport(), {
      month,
      accounts: total,
      settled: 0,
      alreadySettled: 0,
      locked: 0,
      charged: 0,
      totalCharged: 0,
      frozen: 0,
    });
    this.logger.log(`settling ${month} (${tz}): ${total} accounts`);
    let done = 0;
    let nextLog = Math.max(1, Math.ceil(total / 10));
    for (let after = 0; ;) {
      const ids = await accounts.find({
        select: { appId: true },
        where: { createdAt: LessThan(bounds.end), appId: MoreThan(after) },
        order: { appId: 'ASC' },
        take: PAGE,
      });
      if (!ids.length) break;
      for (const { appId } of ids) {
        const outcome = await this.settleAccount(appId, month, bounds.start, bounds.end);
        if (outcome.kind === 'already') report.alreadySettled++;
        else if (outcome.kind === 'locked') report.locked++;
        else {
          report.settled++;
          if (outcome.charged > 0) {
            report.charged++;
            report.totalCharged += outcome.charged;
          }
          if (outcome.frozen) report.frozen++;
        }
        done++;
        onProgress?.(done, total);
        if (done >= nextLog) {
          this.logger.log(`settling ${month}: ${done}/${total} accounts`);
          nextLog += Math.max(1, Math.ceil(total / 10));
        }
      }
      after = ids[ids.length - 1].appId;
    }
    this.logger.log(
      `settled ${month}: ${report.settled} new statements, ${report.alreadySettled} already settled, ` +
        `${report.locked} locked, ${report.charged} charged ${report.totalCharged} cents, ${report.frozen} frozen for arrears`,
    );
    if (report.locked)
      this.logger.warn(`${report.locked} accounts of ${month} were leased elsewhere: run the settlement again`);
    return report;
  }

  private async settleAccount(appId: number, month: string, start: Date, end: Date): Promise<AccountOutcome> {
    const leased = (err: unknown) => err instanceof LedgerError && err.code === ErrorCode.ACCOUNT_LOCKED;
    try {
      return await retry(
        async () => {
          if (await this.statement(appId, month)) return { kind: 'already' } as const;
          return await this.locks.withLease(appId, `settlement ${month}`, LEASE_TTL_SECONDS, (lease) =>
            this.db.transaction((tx) => this.settleLeased(tx, appId, month, start, end, lease.token)),
          );
        },
        { delays: LEASE_RETRY_MS, retryOn: leased },
      );
    } catch (err) {
      if (leased(err)) return { kind: 'locked' };
      throw err;
    }
  }

  private async settleLeased(
    tx: EntityManager,
    appId: number,
    month: string,
    start: Date,
    end: Date,
    leaseToken: number,
  ): Promise<AccountOutcome> {
    const [f]: Figures[] = await tx.query(
      `SELECT m.bill_count, m.credits, m.debits,
              COALESCE((SELECT new_balance FROM bill WHERE app_id = $1 AND status = 'SUCCESS' AND created_at < $2
                         ORDER BY created_at DESC, id DESC LIMIT 1), 0) AS opening,
              COALESCE((SELECT new_balance FROM bill WHERE app_id = $1 AND status = 'SUCCESS' AND created_at < $3
                         ORDER BY created_at DESC, id DESC LIMIT 1), 0) AS closing
         FROM (SELECT count(*)::int AS bill_count,
                      COALESCE(sum(amount) FILTER (WHERE amount > 0), 0)::bigint AS credits,
                      COALESCE(-sum(amount) FILTER (WHERE amount < 0), 0)::bigint AS debits
                 FROM bill
                WHERE app_id = $1 AND status = 'SUCCESS' AND created_at >= $2 AND created_at < $3) m`,
      [appId, start, end],
    );
    const verified = f.closing === f.opening + f.credits - f.debits;
    // Claiming the statement first: a concurrent run (lease expired) waits here, then finds it.
    const claimed: unknown[] = await tx.query(
      `INSERT INTO statement (app_id, month, opening_balance, credits, debits, closing_balance, bill_count, verified)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (app_id, month) DO NOTHING RETURNING 1`,
      [appId, month, f.opening, f.credits, f.debits, f.closing, f.bill_count, verified],
    );
    if (!claimed.length) return { kind: 'already' };
    if (!verified) {
      this.logger.error(
        `statement ${month} of app ${appId} does not verify: ${f.opening} + ${f.credits} - ${f.debits} != ${f.closing}`,
      );
    }

    const subs: Subscription[] = await tx.query(
      `SELECT name, quantity, unit_price, bill_id FROM entitlement
        WHERE app_id = $1 AND billing = 'MONTHLY' AND created_at < $2 AND (ended_at IS NULL OR ended_at >= $3)
        ORDER BY bill_id, line`,
      [appId, start, end],
    );
    const due = subs.reduce((sum, s) => sum + s.unit_price * s.quantity, 0);
    if (due === 0) return { kind: 'settled', charged: 0, frozen: false };

    // The charge is the ledger's `settle` command (ledger_op_settle.sql), run in this transaction under the
    // lease; no dedupe key: the statement row claimed above and the bill's unique orderNo guard it.
    const charge = command({
      op: 'settle',
      appId,
      orderNo: `settle:${month}`,
      origin: { user: 'settlement', srcIp: null },
      args: {
        amount: due,
        info: `MONTHLY subscriptions of ${month}`,
        priceInfo: {
          month,
          items: subs.map((s) => ({ name: s.name, quantity: s.quantity, unitPrice: s.unit_price, billId: s.bill_id })),
          total: due,
        },
      },
      fingerprinted: null,
      leaseToken,
    });
    try {
      const { bill } = await this.idempotency.run<{ bill: { billId: number } }>(charge, { tx });
      await tx.query(
        'UPDATE statement SET recurring_charge = $3, settlement_bill_id = $4 WHERE app_id = $1 AND month = $2',
        [appId, month, due, bill.billId],
      );
      return { kind: 'settled', charged: due, frozen: false };
    } catch (err) {
      if (!(err instanceof LedgerError) || err.code !== ErrorCode.INSUFFICIENT_BALANCE) throw err;
      // Refused: the command wrote the FAILED SETTLEMENT bill; record the arrears and freeze.
      await tx.query('UPDATE statement SET arrears = $3, settlement_bill_id = $4 WHERE app_id = $1 AND month = $2', [
        appId,
        month,
        due,
        err.details.billId,
      ]);
    }
    await this.accounts.freeze(appId, 'arrears', tx);
    this.logger.warn(`app ${appId} cannot pay ${due} cents for ${month}: frozen for arrears`);
    return { kind: 'settled', charged: 0, frozen: true };
  }
}
