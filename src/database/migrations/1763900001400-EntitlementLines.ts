import { MigrationInterface, QueryRunner } from 'typeorm';
import { functionSql } from '../sql-files';

/**
 * An entitlement is a line of a pay: its key becomes (app_id, bill_id, line), the pay's bill and the line's place
 * in the pay (1, 2, …), instead of a surrogate id from a sequence plus a second index on (app_id, bill_id). One
 * index per row instead of two and no sequence call: a pay by items delivers its lines for less, and a rollback
 * still finds them by the key's prefix. Existing rows are numbered in the order they were delivered (by id).
 * Reinstalls ledger_op_pay (src/database/functions/ledger_op_pay.sql), which writes the line numbers and prices
 * each line by the price table's key.
 */
export class EntitlementLines1763900001400 implements MigrationInterface {
  name = 'EntitlementLines1763900001400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE entitlement ADD COLUMN line smallint`);
    await q.query(`
      UPDATE entitlement e SET line = n.line
        FROM (SELECT app_id, id, row_number() OVER (PARTITION BY app_id, bill_id ORDER BY id) AS line
                FROM entitlement) n
       WHERE e.app_id = n.app_id AND e.id = n.id`);
    await q.query(`ALTER TABLE entitlement ALTER COLUMN line SET NOT NULL`);
    await q.query(`ALTER TABLE entitlement DROP CONSTRAINT entitlement_pkey`);
    await q.query(`DROP INDEX entitlement_bill`);
    await q.query(`ALTER TABLE entitlement DROP COLUMN id`);
    await q.query(`ALTER TABLE entitlement ADD CONSTRAINT entitlement_pkey PRIMARY KEY (app_id, bill_id, line)`);
    await q.query(functionSql('ledger_op_pay'));
  }

  async down(): Promise<void> {
    throw new Error('EntitlementLines1763900001400 cannot be undone: restore from a backup taken before it');
  }
}
