import { MigrationInterface, QueryRunner } from 'typeorm';
import { functionSql } from '../sql-files';

/** The five CHECK constraints of `hold` (migration Holds), as they were: name → expression. */
const FIVE: Record<string, string> = {
  hold_amount_check: 'amount > 0 AND amount <= 9007199254740991',
  hold_status_check: `status IN ('OPEN','CAPTURED','RELEASED','EXPIRED')`,
  hold_captured_range: 'captured >= 0 AND captured <= amount',
  hold_captured_only_when_captured: `status = 'CAPTURED' OR captured = 0`,
  hold_ended: `(status = 'OPEN') = (ended_at IS NULL)`,
};

/**
 * The rules of a hold row, the same ones, in one CHECK that calls ledger_hold_valid (functions/ledger_hold_valid.sql)
 * instead of five CHECK expressions: PostgreSQL reads every stored CHECK tree of a table back on each INSERT and
 * UPDATE statement, and the five (4,564 characters of stored tree) cost a placement and a capture about 11 µs of
 * PostgreSQL's CPU more than the one call (docs/benchmark.md; a release and an expiry update the row the same way).
 * Adding hold_valid reads every existing hold once to validate it, under the table's lock (migrations run before the
 * service serves).
 */
export class HoldRulesInOneCheck1763900002800 implements MigrationInterface {
  name = 'HoldRulesInOneCheck1763900002800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(functionSql('ledger_hold_valid'));
    const drop = Object.keys(FIVE).map((name) => `DROP CONSTRAINT ${name}`);
    await q.query(
      `ALTER TABLE hold ${drop.join(', ')},
         ADD CONSTRAINT hold_valid CHECK (ledger_hold_valid(status, amount, captured, ended_at))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    const add = Object.entries(FIVE).map(([name, check]) => `ADD CONSTRAINT ${name} CHECK (${check})`);
    await q.query(`ALTER TABLE hold DROP CONSTRAINT hold_valid, ${add.join(', ')}`);
    await q.query(`DROP FUNCTION ledger_hold_valid(text, bigint, bigint, timestamptz)`);
  }
}
