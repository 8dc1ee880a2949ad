import { MigrationInterface, QueryRunner } from 'typeorm';
import { functionSql } from '../sql-files';

/**
 * The one write path (src/database/functions/ledger_run.sql and the functions
 * it calls): every money mutation decided in ONE statement where the account
 * row lock is. Installs the files' functions in dependency order (SQL-language
 * bodies are checked when created), drops the functions they replace, and
 * rewrites answers stored by the old one-statement path (`{rows: {account,
 * bill}}`, snake_case rows) into the one stored shape (`{data}`, GraphQL
 * field names), so that every stored answer is revived one way.
 */
const FUNCTIONS = [
  'ledger_bill_json',
  'ledger_account_json',
  'ledger_hold_json',
  'ledger_coupon_json',
  'ledger_refusal',
  'ledger_rejection',
  'ledger_replay',
  'ledger_lease_blocking',
  'ledger_await_lease',
  'ledger_lock_account',
  'ledger_post',
  'ledger_expire_hold',
  'ledger_lock_hold',
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

export class OneWritePath1763900000600 implements MigrationInterface {
  name = 'OneWritePath1763900000600';

  async up(q: QueryRunner): Promise<void> {
    for (const f of FUNCTIONS) await q.query(functionSql(f));
    await q.query(`
      UPDATE idempotency_key
         SET response = jsonb_build_object('data', jsonb_build_object(
               'bill', ledger_bill_json(jsonb_populate_record(NULL::bill, response->'rows'->'bill')),
               'account', ledger_account_json(jsonb_populate_record(NULL::account, response->'rows'->'account'))))
       WHERE response ? 'rows'`);
    await q.query('DROP FUNCTION ledger_post_batch(jsonb)');
    await q.query(
      'DROP FUNCTION ledger_post_once(text, text, integer, text, bigint, bigint, boolean, bigint, text, text, text, jsonb, text, bigint)',
    );
    await q.query(
      'DROP FUNCTION ledger_apply(integer, text, bigint, bigint, boolean, bigint, text, text, text, jsonb, text, bigint)',
    );
  }

  async down(): Promise<void> {
    throw new Error('OneWritePath1763900000600 cannot be undone: restore from a backup taken before it');
  }
}
