import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { Account, AccountRow } from '../account/account.model';
import { ErrorCode } from '../common/errors/error-codes';
import { LedgerError } from '../common/errors/ledger.error';
import { ClaimKey, OneStatement } from '../common/idempotency/idempotency.service';
import { MAX_CENTS } from '../common/validation';
import type { LedgerEnv } from '../config/env';
import { Bill, BillChannel, BillRow, BillStatus } from './bill.model';
import { PostingBatcher, postingArgs } from './posting-batcher';

/** Who asked and from where: recorded on every bill. */
export interface Origin {
  user: string | null;
  srcIp: string | null;
}

/** One change of an account, written with its bill. */
export interface Posting extends Origin {
  appId: number;
  orderNo: string;
  channel: BillChannel;
  /** Signed cents: + credit, − debit, 0 for HOLD and RELEASE. */
  amount: number;
  /** Change of `held` (holds reserve, captures and releases free). */
  heldDelta?: number;
  /** Reuse a serial (a rollback shares its pay's billId); otherwise a fresh one. */
  billId?: number;
  info?: string | null;
  priceInfo?: unknown;
  /** Refuse on a frozen account (spending does; credits are always booked). */
  refuseIfFrozen: boolean;
  /**
   * The AppLock lease token held by the caller (settlement, reconciliation).
   * Postings on a leased app wait for the lease unless they carry its token.
   */
  leaseToken?: number;
  /** How long to wait for another holder's lease; defaults to APPLOCK_WAIT_MS (0: do not wait). */
  leaseWaitMs?: number;
}

export interface Posted {
  bill: Bill;
  account: Account;
}

/** A posting as PostgreSQL returns (and the one-statement path stores) it. */
interface PostedRows {
  account: AccountRow;
  bill: BillRow;
}

const postedFromRows = (r: PostedRows): Posted => ({ account: Account.fromRow(r.account), bill: Bill.fromRow(r.bill) });

/** Why the single statement refused a posting, read afresh after it did. */
interface RefusalRow extends AccountRow {
  lease_owner: string | null;
  lease_expires_at: Date | null;
}

/** Refusals that nothing explains any more (the account changed in between) are retried this often. */
const MAX_UNEXPLAINED_RETRIES = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The one write path of the ledger: the account update and its bill in a
 * single statement (the `ledger_apply` function), so the row lock is held for
 * one round trip. The WHERE clause is the business rule (not frozen,
 * available never negative, balance within 2^53, no other holder's AppLock
 * lease); a posting it refuses for balance or freeze writes a FAILED bill and
 * throws.
 *
 * A lease refusal writes nothing: the posting waits (short, growing sleeps,
 * re-running the statement) up to APPLOCK_WAIT_MS, then answers
 * ACCOUNT_LOCKED, which is not stored, so the caller's transaction rolls back
 * and a retry is safe. The happy path stays one round trip: the lease is a
 * NOT EXISTS in the same statement, not a separate read.
 */
@Injectable()
export class LedgerService {
  private readonly leaseWaitMs: number;
  private readonly batcher: PostingBatcher;

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    config: ConfigService<LedgerEnv, true>,
    dataSource: DataSource,
  ) {
    this.leaseWaitMs = config.get('APPLOCK_WAIT_MS');
    this.batcher = new PostingBatcher((dataSource.driver as PostgresDriver).master as Pool);
  }

  async post(p: Posting): Promise<Posted> {
    const deadline = Date.now() + (p.leaseWaitMs ?? this.leaseWaitMs);
    let unexplained = 0;
    for (let attempt = 1; ; attempt++) {
      const posted = await this.apply(p);
      if (posted) return posted;
      const acc = await this.why(p);
      if (!acc) throw LedgerError.notFound(`no account for app ${p.appId}`);
      if (acc.lease_owner !== null) {
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new LedgerError(
            ErrorCode.ACCOUNT_LOCKED,
            `app ${p.appId} is leased by ${acc.lease_owner} until ${new Date(acc.lease_expires_at!).toISOString()}; retry later`,
          );
        }
        await sleep(Math.min(left, Math.min(5 * 2 ** attempt, 100) * (0.5 + Math.random() / 2)));
        continue;
      }
      const err = this.refusal(p, acc);
      if (err) {
        if (err.code !== ErrorCode.INVALID_ARGUMENT) await this.failedBill(p, acc.balance, err.retCode);
        throw err;
      }
      // Refused, yet the account now allows it (a lease ended or money arrived in between): run it again.
      if (++unexplained > MAX_UNEXPLAINED_RETRIES) {
        throw new LedgerError(ErrorCode.SERVER_BUSY, `account ${p.appId} is changing too fast; retry`);
      }
    }
  }

  private async apply(p: Posting): Promise<Posted | undefined> {
    const rows: PostedRows[] = await this.txHost.tx.query(
      'SELECT account, bill FROM ledger_apply($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)',
      postingArgs(p),
    );
    return rows[0] ? postedFromRows(rows[0]) : undefined;
  }

  /**
   * A posting that is the whole of an idempotent mutation (recharge, a pay of
   * an amount) as ONE statement: the `ledger_post_once` function looks the key
   * up, claims it, posts and stores the answer in one round trip and one
   * transaction (see its migration). It runs on a pooled connection of its
   * own, prepared once per connection, outside any CLS transaction; postings
   * on one account that arrive while its statement is in flight go together
   * as the next one (PostingBatcher).
   */
  oneStatement(p: Posting): OneStatement<Posted> {
    return {
      run: (key: ClaimKey) => this.batcher.post(key, p),
      revive: (rows) => postedFromRows(rows as PostedRows),
    };
  }

  /**
   * The account and any lease that blocks this posting, read after the refusal
   * (a fresh snapshot: clock_timestamp(), not the transaction's now(), so a
   * lease that expired while we waited is seen as expired).
   */
  private async why(p: Posting): Promise<RefusalRow | undefined> {
    const rows: RefusalRow[] = await this.txHost.tx.query(
      `SELECT a.*, l.owner AS lease_owner, l.expires_at AS lease_expires_at
         FROM account a
         LEFT JOIN app_lock l
                ON l.app_id = a.app_id AND l.owner IS NOT NULL
               AND l.expires_at > clock_timestamp()
               AND l.token IS DISTINCT FROM $2::bigint
        WHERE a.app_id = $1`,
      [p.appId, p.leaseToken ?? null],
    );
    return rows[0];
  }

  /** The business rule the account breaks for this posting, or null when it no longer breaks any. */
  private refusal(p: Posting, acc: AccountRow): LedgerError | null {
    const heldDelta = p.heldDelta ?? 0;
    if (acc.balance + p.amount > MAX_CENTS) {
      return LedgerError.invalid('input.amount', 'the balance would exceed 2^53-1 cents');
    }
    if (p.refuseIfFrozen && acc.frozen) {
      return new LedgerError(
        ErrorCode.ACCOUNT_FROZEN,
        `account ${p.appId} is frozen: ${acc.freeze_reason ?? ''}`.trim(),
      );
    }
    if (acc.balance + p.amount < acc.held + heldDelta || acc.held + heldDelta < 0) {
      return new LedgerError(
        ErrorCode.INSUFFICIENT_BALANCE,
        `available balance ${acc.balance - acc.held} is below ${heldDelta - p.amount}`,
      );
    }
    return null;
  }
  async failedBill(p: Posting, balance: number, retCode: number): Promise<Bill> {
    const rows: BillRow[] = await this.txHost.tx.query(
      `INSERT INTO bill (bill_id, app_id, order_no, channel, amount, old_balance, new_balance,
                         status, ret_code, info, bill_user, price_info, src_ip)
       VALUES (COALESCE($1::bigint, nextval('serial_seq')), $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, $11, $12)
       RETURNING *`,
      [
        p.billId ?? null,
        p.appId,
        p.orderNo,
        p.channel,
        p.amount,
        balance,
        BillStatus.FAILED,
        retCode,
        p.info ?? null,
        p.user,
        p.priceInfo === undefined ? null : JSON.stringify(p.priceInfo),
        p.srcIp,
      ],
    );
    return Bill.fromRow(rows[0]);
  }
}
