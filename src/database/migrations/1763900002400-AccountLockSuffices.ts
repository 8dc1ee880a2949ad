import { FunctionsMigration } from '../sql-files';

/**
 * Reinstalls ledger_op_pay, ledger_lock_hold and ledger_op_expire_hold (src/database/functions/) without their
 * `FOR UPDATE` on the coupon or the hold. Every change of a coupon (pay, rollback) or a hold (capture, release,
 * expiry) runs in ledger_run after ledger_lock_account has locked the app's account row, so that lock already
 * orders them; the second row lock only wrote a lock record to the WAL and marked the row. Same answers; the
 * races of two pays over one coupon and of capture, release and expiry over one hold are tested.
 */
export class AccountLockSuffices1763900002400 extends FunctionsMigration('AccountLockSuffices1763900002400', [
  'ledger_op_pay',
  'ledger_lock_hold',
  'ledger_op_expire_hold',
]) {}
