import { MigrationInterface, QueryRunner } from 'typeorm';
import { functionSql } from '../sql-files';

/** Per table: the CHECK constraints it had (name → expression), and the one that replaces them. */
const TABLES: { table: string; before: Record<string, string>; check: string; fn: string; signature: string }[] = [
  {
    table: 'account',
    before: {
      account_app_id_check: 'app_id > 0',
      account_balance_range: 'balance >= 0 AND balance <= 9007199254740991',
      account_held_range: 'held >= 0 AND held <= balance',
    },
    check: 'account_valid CHECK (ledger_account_valid(app_id, balance, held))',
    fn: 'ledger_account_valid',
    signature: 'integer, bigint, bigint',
  },
  {
    table: 'bill',
    before: {
      bill_channel_check: `channel IN ('RECHARGE','PAY','ROLLBACK','HOLD','CAPTURE','RELEASE','SETTLEMENT')`,
      bill_status_check: `status IN ('SUCCESS','FAILED')`,
      bill_balance_arith: `status <> 'SUCCESS' OR old_balance + amount = new_balance`,
    },
    check: 'bill_valid CHECK (ledger_bill_valid(channel, status, amount, old_balance, new_balance))',
    fn: 'ledger_bill_valid',
    signature: 'text, text, bigint, bigint, bigint',
  },
  {
    table: 'ledger_event',
    before: {
      ledger_event_type_check:
        `type IN ('BILL_RECORDED','ACCOUNT_OPENED','ACCOUNT_FROZEN','ACCOUNT_UNFROZEN','COUPON_ISSUED',` +
        `'BALANCE_LOW','STATEMENT_READY','RECONCILIATION_COMPLETED')`,
    },
    check: 'ledger_event_valid CHECK (ledger_event_valid(type))',
    fn: 'ledger_event_valid',
    signature: 'text',
  },
  {
    table: 'coupon',
    before: {
      coupon_discount_check: 'discount > 0',
      coupon_min_spend_check: 'min_spend >= 0',
      coupon_status_check: `status IN ('ISSUED','USED')`,
      coupon_used_bill: `(status = 'USED') = (used_by_bill_id IS NOT NULL)`,
    },
    check: 'coupon_valid CHECK (ledger_coupon_valid(status, discount, min_spend, used_by_bill_id))',
    fn: 'ledger_coupon_valid',
    signature: 'text, bigint, bigint, bigint',
  },
];

/**
 * The rules of the rows every posting writes (account, bill, ledger_event, and coupon for a pay with a coupon and
 * its rollback), the same ones, in one CHECK per table that calls a function (functions/ledger_<table>_valid.sql),
 * as HoldRulesInOneCheck did for `hold`. PostgreSQL reads a table's stored CHECK trees back and prepares them on
 * every INSERT and UPDATE statement; the eleven expressions (10,048 characters of stored tree) cost a pay about
 * 15–20 µs of PostgreSQL's CPU, an eighth of all it spends on one (docs/benchmark.md). Adding each constraint reads
 * the table's existing rows once to validate them, under the table's lock (migrations run before the service
 * serves): on a large ledger, this migration takes as long as a scan of the bill table.
 */
export class RowRulesInOneCheck1763900003000 implements MigrationInterface {
  name = 'RowRulesInOneCheck1763900003000';

  async up(q: QueryRunner): Promise<void> {
    for (const { table, before, check, fn } of TABLES) {
      await q.query(functionSql(fn));
      const drop = Object.keys(before).map((name) => `DROP CONSTRAINT ${name}`);
      await q.query(`ALTER TABLE ${table} ${drop.join(', ')}, ADD CONSTRAINT ${check}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table, before, check, fn, signature } of TABLES) {
      const add = Object.entries(before).map(([name, expr]) => `ADD CONSTRAINT ${name} CHECK (${expr})`);
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${check.split(' ')[0]}, ${add.join(', ')}`);
      await q.query(`DROP FUNCTION ${fn}(${signature})`);
    }
  }
}
