import { MigrationInterface, QueryRunner } from 'typeorm';
import { functionSql } from '../sql-files';

/**
 * ledger_lock_hold becomes ledger_open_hold: since migration AccountLockSuffices it locks nothing (the account's
 * row lock orders every change of a hold), it reads the open hold or refuses. Installs it, reinstalls its callers
 * (ledger_op_capture_hold, ledger_op_release_hold; ledger_op_expire_hold's comment names it) and drops the old
 * name (its file stays in functions/retired/: migrations OneWritePath and AccountLockSuffices install it on a
 * fresh database). Same answers.
 */
export class OpenHoldNamed1763900002600 implements MigrationInterface {
  name = 'OpenHoldNamed1763900002600';

  async up(q: QueryRunner): Promise<void> {
    for (const f of ['ledger_open_hold', 'ledger_op_capture_hold', 'ledger_op_release_hold', 'ledger_op_expire_hold']) {
      await q.query(functionSql(f));
    }
    await q.query(`DROP FUNCTION ledger_lock_hold(account, integer, text)`);
  }

  async down(): Promise<void> {
    throw new Error('OpenHoldNamed1763900002600 cannot be undone: restore from a backup taken before it');
  }
}
