import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { constraintName, sqlState, SQLSTATE } from '../common/errors/db-errors';
import { ErrorCode } from '../common/errors/error-codes';
import { LedgerError } from '../common/errors/ledger.error';
import { rowsOfKnownApp } from '../common/known-app';
import { sqlRows } from '../database/sql';
import { Coupon, COUPON_STATE_SQL, CouponRow, CouponStatus, CouponTemplate, CouponTemplateRow } from './coupon.model';
import { CouponTemplateInput, IssueCouponInput } from './dto/coupon.inputs';

const COUPON_COLUMNS = `*, ${COUPON_STATE_SQL} AS state`;

function unavailable(message: string, reason: string): LedgerError {
  return new LedgerError(ErrorCode.COUPON_UNAVAILABLE, message, { reason });
}

/**
 * Coupon templates, issuance, and the coupon's part in pay and rollback.
 * Issuance and redemption run inside the idempotency transaction of their
 * mutation (issueCoupon, pay, rollback).
 */
@Injectable()
export class CouponService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  async createTemplate(input: CouponTemplateInput): Promise<CouponTemplate> {
    try {
      const rows: CouponTemplateRow[] = await this.txHost.tx.query(
        `INSERT INTO coupon_template (code, name, discount, min_spend, stock, per_app_limit, valid_days)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [
          input.code,
          input.name,
          input.discount,
          input.minSpend,
          input.stock ?? null,
          input.perAppLimit,
          input.validDays,
        ],
      );
      return CouponTemplate.fromRow(rows[0]);
    } catch (err) {
      // Templates are immutable: coupons already issued copied their terms, and
      // the stock and per-app counters must mean the same thing for every coupon.
      if (sqlState(err) === SQLSTATE.UNIQUE_VIOLATION) {
        throw LedgerError.invalid('input.code', `a coupon template with code ${input.code} already exists`);
      }
      throw err;
    }
  }

  async templates(): Promise<CouponTemplate[]> {
    const rows: CouponTemplateRow[] = await this.txHost.tx.query('SELECT * FROM coupon_template ORDER BY code');
    return rows.map(CouponTemplate.fromRow);
  }

  async list(appId: number, status?: CouponStatus | null): Promise<Coupon[]> {
    const rows: CouponRow[] = await this.txHost.tx.query(
      `SELECT * FROM (SELECT ${COUPON_COLUMNS} FROM coupon WHERE app_id = $1) c
        WHERE $2::text IS NULL OR c.state = $2
        ORDER BY c.id`,
      [appId, status ?? null],
    );
    return (await rowsOfKnownApp(this.txHost.tx, appId, rows)).map(Coupon.fromRow);
  }

  /**
   * Grants one coupon. No check-then-insert anywhere: each limit is one
   * conditional write whose WHERE clause is the rule, so PostgreSQL's row lock
   * serialises concurrent issuers and re-checks the rule on the latest row.
   *
   * 1. Per-app limit: a counter row per (app_id, template_code), upserted with
   *    a conditional increment. ON CONFLICT DO UPDATE waits for a concurrent
   *    inserter and evaluates `issued < limit` on the committed row. (A counter
   *    rather than a lock on the account row: an app may be granted a coupon
   *    before it has an account, and the counter keys on app_id for Citus.)
   *    It counts every coupon the app ever received, used or expired alike.
   * 2. Stock: `UPDATE coupon_template SET issued = issued + 1 WHERE ... issued
   *    < stock`. Taken second so that the hot template row is locked for as
   *    short a time as possible, and always in this order (no deadlocks).
   * 3. The coupon row, with the template's terms copied.
   *
   * A refusal is a stored error, so its transaction COMMITS (SPEC §6): when the
   * stock refuses after the quota was raised, the quota is lowered again in
   * the same transaction (we hold its row lock), so a refusal changes nothing.
   */
  async issue(input: IssueCouponInput): Promise<Coupon> {
    const templates: CouponTemplateRow[] = await this.txHost.tx.query('SELECT * FROM coupon_template WHERE code = $1', [
      input.templateCode,
    ]);
    const tpl = templates[0];
    if (!tpl) throw LedgerError.notFound(`no coupon template ${input.templateCode}`);

    const quota: unknown[] = await this.txHost.tx.query(
      `INSERT INTO coupon_quota AS q (app_id, template_code, issued) VALUES ($1, $2, 1)
       ON CONFLICT (app_id, template_code) DO UPDATE SET issued = q.issued + 1 WHERE q.issued < $3
       RETURNING q.issued`,
      [input.appId, tpl.code, tpl.per_app_limit],
    );
    if (quota.length === 0) {
      throw unavailable(
        `app ${input.appId} already received ${tpl.per_app_limit} coupon(s) of template ${tpl.code}, its per-app limit`,
        'PER_APP_LIMIT',
      );
    }

    const taken = await sqlRows(
      this.txHost.tx,
      `UPDATE coupon_template SET issued = issued + 1
        WHERE code = $1 AND (stock IS NULL OR issued < stock)
        RETURNING issued`,
      [tpl.code],
    );
    if (taken.length === 0) {
      await this.txHost.tx.query(
        'UPDATE coupon_quota SET issued = issued - 1 WHERE app_id = $1 AND template_code = $2',
        [input.appId, tpl.code],
      );
      throw unavailable(`coupon template ${tpl.code} is out of stock (${tpl.stock} issued)`, 'OUT_OF_STOCK');
    }

    try {
      const rows: CouponRow[] = await this.txHost.tx.query(
        `INSERT INTO coupon (app_id, template_code, discount, min_spend, status, order_no, expires_at)
         VALUES ($1, $2, $3, $4, 'ISSUED', $5, now() + make_interval(days => $6))
         RETURNING ${COUPON_COLUMNS}`,
        [input.appId, tpl.code, tpl.discount, tpl.min_spend, input.orderNo, tpl.valid_days],
      );
      return Coupon.fromRow(rows[0]);
    } catch (err) {
      if (sqlState(err) === SQLSTATE.UNIQUE_VIOLATION && constraintName(err) === 'coupon_order') {
        // The dedupe row was purged but this orderNo already granted a coupon.
        // Not stored: the transaction rolls back, the counters with it.
        throw new LedgerError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'this orderNo already issued a coupon');
      }
      throw err;
    }
  }

  /**
   * Locks the app's coupon for a pay of `gross` cents (before the discount),
   * or says why it cannot be used. The row lock makes concurrent pays with the
   * same coupon queue; the second re-reads it as USED after the first commits.
   * A coupon id of another app is NOT_FOUND, as if it did not exist.
   */
  async lockForPay(appId: number, couponId: number, gross: number): Promise<Coupon> {
    const rows: CouponRow[] = await this.txHost.tx.query(
      `SELECT ${COUPON_COLUMNS} FROM coupon WHERE app_id = $1 AND id = $2 FOR UPDATE`,
      [appId, couponId],
    );
    const row = rows[0];
    if (!row) throw LedgerError.notFound(`no coupon ${couponId} for app ${appId}`);
    const coupon = Coupon.fromRow(row);
    if (coupon.status === CouponStatus.USED) {
      throw unavailable(`coupon ${couponId} was already used (bill ${coupon.usedByBillId})`, 'USED');
    }
    if (coupon.status === CouponStatus.EXPIRED) {
      throw unavailable(`coupon ${couponId} expired at ${coupon.expiresAt.toISOString()}`, 'EXPIRED');
    }
    if (gross < coupon.minSpend) {
      throw unavailable(
        `coupon ${couponId} needs a pay of at least ${coupon.minSpend}; this one is ${gross}`,
        'MIN_SPEND',
      );
    }
    return coupon;
  }

  /** After the pay's bill was posted: the coupon is spent by that bill. */
  async markUsed(appId: number, couponId: number, billId: number): Promise<void> {
    const rows = await sqlRows(
      this.txHost.tx,
      `UPDATE coupon SET status = 'USED', used_by_bill_id = $3
        WHERE app_id = $1 AND id = $2 AND status = 'ISSUED' RETURNING id`,
      [appId, couponId, billId],
    );
    // lockForPay holds the row lock, so this cannot miss; if it ever did, undo the pay.
    if (rows.length !== 1) throw new Error(`coupon ${couponId} of app ${appId} changed under its lock`);
  }

  /** The coupon a pay used, locked (a rollback gives it back). */
  async lockUsedBy(appId: number, billId: number): Promise<Coupon | undefined> {
    const rows: CouponRow[] = await this.txHost.tx.query(
      `SELECT ${COUPON_COLUMNS} FROM coupon WHERE app_id = $1 AND used_by_bill_id = $2 FOR UPDATE`,
      [appId, billId],
    );
    return rows[0] ? Coupon.fromRow(rows[0]) : undefined;
  }

  /** Back to ISSUED; it shows as EXPIRED if its date has passed meanwhile (and a pay refuses it). */
  async giveBack(appId: number, couponId: number): Promise<void> {
    await this.txHost.tx.query(
      `UPDATE coupon SET status = 'ISSUED', used_by_bill_id = NULL WHERE app_id = $1 AND id = $2`,
      [appId, couponId],
    );
  }
}
