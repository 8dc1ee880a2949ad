import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Account, AccountRow } from '../account/account.model';
import { ErrorCode } from '../common/errors/error-codes';
import { LedgerError } from '../common/errors/ledger.error';
import { MAX_CENTS } from '../common/validation';
import { Bill, BillChannel, BillRow, BillStatus } from './bill.model';

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
}

export interface Posted {
  bill: Bill;
  account: Account;
}

/**
 * The one write path of the ledger: the account update and its bill in a
 * single statement, so the row lock is held for one round trip. The WHERE
 * clause is the business rule (not frozen, available never negative, balance
 * within 2^53); a posting it refuses writes a FAILED bill and throws.
 */
@Injectable()
export class LedgerService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  async post(p: Posting): Promise<Posted> {
    const heldDelta = p.heldDelta ?? 0;
    const rows: { account: AccountRow; bill: BillRow }[] = await this.txHost.tx.query(
      `WITH acc AS (
         UPDATE account
            SET balance = balance + $3, held = held + $4, version = version + 1, updated_at = now()
          WHERE app_id = $1
            AND NOT ($5 AND frozen)
            AND balance + $3 >= held + $4
            AND held + $4 >= 0
            AND balance + $3 <= ${MAX_CENTS}
          RETURNING *
       ), b AS (
         INSERT INTO bill (bill_id, app_id, order_no, channel, amount, old_balance, new_balance,
                           status, ret_code, info, bill_user, price_info, src_ip)
         SELECT COALESCE($6::bigint, nextval('serial_seq')), app_id, $2, $7, $3, balance - $3, balance,
                'SUCCESS', 0, $8, $9, $10, $11
           FROM acc
         RETURNING *
       )
       SELECT row_to_json(acc) AS account, row_to_json(b) AS bill FROM acc, b`,
      [
        p.appId,
        p.orderNo,
        p.amount,
        heldDelta,
        p.refuseIfFrozen,
        p.billId ?? null,
        p.channel,
        p.info ?? null,
        p.user,
        p.priceInfo === undefined ? null : JSON.stringify(p.priceInfo),
        p.srcIp,
      ],
    );
    if (rows[0]) return { account: Account.fromRow(rows[0].account), bill: Bill.fromRow(rows[0].bill) };
    throw await this.refusal(p);
  }

  /** Why a posting was refused; the FAILED bill is written before the error is returned. */
  private async refusal(p: Posting): Promise<LedgerError> {
    const rows: AccountRow[] = await this.txHost.tx.query('SELECT * FROM account WHERE app_id = $1', [p.appId]);
    const acc = rows[0];
    if (!acc) return LedgerError.notFound(`no account for app ${p.appId}`);
    if (acc.balance + p.amount > MAX_CENTS) {
      return LedgerError.invalid('input.amount', 'the balance would exceed 2^53-1 cents');
    }
    const err =
      p.refuseIfFrozen && acc.frozen
        ? new LedgerError(ErrorCode.ACCOUNT_FROZEN, `account ${p.appId} is frozen: ${acc.freeze_reason ?? ''}`.trim())
        : new LedgerError(
            ErrorCode.INSUFFICIENT_BALANCE,
            `available balance ${acc.balance - acc.held} is below ${-(p.amount - (p.heldDelta ?? 0))}`,
          );
    await this.failedBill(p, acc.balance, err.retCode);
    return err;
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
