import { FunctionsMigration } from '../sql-files';

/**
 * Reinstalls ledger_op_issue_coupon and ledger_run (src/database/functions/; in ledger_run only a name and
 * comments change). Since KeyWrittenOnce the dedupe key is written at the end of the statement, looked up before
 * under the account row lock; issueCoupon locks no account row, so two requests with one orderNo (on two
 * instances) can both get past the look-up. The second then finds its coupon's key (app_id, order_no) taken:
 * instead of failing on the unique constraint it undoes itself (LG002), and run again it replays the first one's
 * answer.
 */
export class CouponKeyBackstop1763900002100 extends FunctionsMigration('CouponKeyBackstop1763900002100', [
  'ledger_op_issue_coupon',
  'ledger_run',
]) {}
