import { MigrationInterface, QueryRunner } from 'typeorm';
import { functionSql } from '../sql-files';

/**
 * A command's answer is put together once: each op gives back its data (or an error answer), and ledger_run returns
 * the answer as json, `{data}` written around that data as text, and ledger_run_batch the members' answers joined
 * as they are. Before, every wrapper was a new jsonb value, which copies whatever it wraps: the bill (and its
 * priceInfo, a line per item) was copied into the op's `{data}`, into the batch's array and into text again. The
 * posting record is built by one function, ledger_posting (named arguments), instead of the whole command with
 * the posting's fields added (`cmd || …`, a copy of the command's args), and ledger_post renders the bill only for
 * an answer that shows it (a hold's and a release's do not: their bill's JSON was built and thrown away). Same
 * answers, same rows.
 *
 * ledger_run and ledger_run_batch return json instead of jsonb, which CREATE OR REPLACE cannot change: they are
 * dropped first (nothing depends on them by name: plpgsql resolves calls when it runs).
 */
const FUNCTIONS = [
  'ledger_posting',
  'ledger_post',
  'ledger_expire_hold',
  'ledger_op_recharge',
  'ledger_op_pay',
  'ledger_op_rollback',
  'ledger_op_hold',
  'ledger_op_capture_hold',
  'ledger_op_release_hold',
  'ledger_op_expire_hold',
  'ledger_op_issue_coupon',
  'ledger_op_settle',
  'ledger_run',
  'ledger_run_batch',
];

export class AnswersBuiltOnce1763900003100 implements MigrationInterface {
  name = 'AnswersBuiltOnce1763900003100';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION ledger_run_batch(jsonb)');
    await q.query('DROP FUNCTION ledger_run(jsonb)');
    for (const f of FUNCTIONS) await q.query(functionSql(f));
  }

  async down(): Promise<void> {
    throw new Error(`${this.name} cannot be undone: restore from a backup taken before it`);
  }
}
