import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops the hold table's unique keys (app_id, order_no) and (app_id, bill_id). Nothing looks a hold up by either
 * (holds are read by their id), and the ledger already keeps both unique: a hold is written only by
 * ledger_op_hold, in the statement that writes its HOLD bill with the same orderNo and billId, and the bill's keys
 * (app_id, order_no, channel) and (app_id, bill_id, channel) allow one HOLD bill each. Two index entries fewer per
 * hold, and per capture, release or expiry (which rewrite the row).
 */
export class HoldKeys1763900001500 implements MigrationInterface {
  name = 'HoldKeys1763900001500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE hold DROP CONSTRAINT hold_order, DROP CONSTRAINT hold_bill`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE hold ADD CONSTRAINT hold_order UNIQUE (app_id, order_no)`);
    await q.query(`ALTER TABLE hold ADD CONSTRAINT hold_bill UNIQUE (app_id, bill_id)`);
  }
}
