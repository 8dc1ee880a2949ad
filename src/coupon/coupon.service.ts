import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { sqlState, SQLSTATE } from '../common/errors/db-errors';
import { LedgerError } from '../common/errors/ledger.error';
import { rowsOfKnownApp } from '../common/known-app';
import { Coupon, COUPON_STATE_SQL, CouponRow, CouponStatus, CouponTemplate, CouponTemplateRow } from './coupon.model';
import { CouponTemplateInput } from './dto/coupon.inputs';

const COUPON_COLUMNS = `*, ${COUPON_STATE_SQL} AS state`;

/**
 * Coupon templates and reads. Issuance and the coupon's part in pay and
 * rollback are commands decided in PostgreSQL (ledger_op_issue_coupon.sql,
 * ledger_op_pay.sql, ledger_op_rollback.sql).
 */
@Injectable()
export class CouponService {
  constructor(private readonly db: EntityManager) {}

  async createTemplate(input: CouponTemplateInput): Promise<CouponTemplate> {
    try {
      const rows: CouponTemplateRow[] = await this.db.query(
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
    const rows: CouponTemplateRow[] = await this.db.query('SELECT * FROM coupon_template ORDER BY code');
    return rows.map(CouponTemplate.fromRow);
  }

  async list(appId: number, status?: CouponStatus | null): Promise<Coupon[]> {
    const rows: CouponRow[] = await this.db.query(
      `SELECT * FROM (SELECT ${COUPON_COLUMNS} FROM coupon WHERE app_id = $1) c
        WHERE $2::text IS NULL OR c.state = $2
        ORDER BY c.id`,
      [appId, status ?? null],
    );
    return (await rowsOfKnownApp(this.db, appId, rows)).map(Coupon.fromRow);
  }
}
