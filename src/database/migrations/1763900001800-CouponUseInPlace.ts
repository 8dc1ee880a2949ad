import { MigrationInterface, QueryRunner } from 'typeorm';
import { functionSql } from '../sql-files';

/**
 * A pay with a coupon rewrites the coupon row in place. The unique index coupon_used_by_bill (app_id,
 * used_by_bill_id) goes: only a rollback looked a coupon up by the bill that used it, and the pay's bill already
 * names its coupon (priceInfo.couponId, written by every pay with a coupon since coupons exist), so ledger_op_rollback
 * now finds it by its key and checks it is the one that bill used. One coupon per bill needs no index either: a pay
 * takes one couponId. With no index on status or used_by_bill_id, marking a coupon USED (or ISSUED again) changes
 * no indexed column, and with room left on its page (fillfactor 90, for the rows written from now on) PostgreSQL
 * updates it there (a HOT update): no new entry in the table's two remaining indexes, no move to another page.
 */
export class CouponUseInPlace1763900001800 implements MigrationInterface {
  name = 'CouponUseInPlace1763900001800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX coupon_used_by_bill`);
    await q.query(`ALTER TABLE coupon SET (fillfactor = 90)`);
    await q.query(functionSql('ledger_op_rollback'));
  }

  async down(): Promise<void> {
    throw new Error(`${this.name} cannot be undone: restore from a backup taken before it`);
  }
}
