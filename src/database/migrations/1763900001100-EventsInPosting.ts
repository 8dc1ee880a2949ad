import { MigrationInterface, QueryRunner } from 'typeorm';
import { functionSql } from '../sql-files';

/**
 * BILL_RECORDED and BALANCE_LOW are written by the posting itself (src/database/functions/ledger_post.sql), in
 * its own statement as before, instead of by triggers on `bill` and `account`: every bill and every change of
 * available goes through ledger_post (the one write path), and there the bill's JSON is already built for the
 * answer, so the event reuses it rather than building it again, and no trigger is fired (docs/events.md, Cost).
 * Also reinstalls ledger_op_pay, which now skips the entitlement insert of a pay without items.
 * Drops the two triggers and their functions (their files stay in functions/retired/: migration
 * 1763900001000-Events installs them on a fresh database).
 */
export class EventsInPosting1763900001100 implements MigrationInterface {
  name = 'EventsInPosting1763900001100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(functionSql('ledger_post'));
    await q.query(functionSql('ledger_op_pay'));
    await q.query(`DROP TRIGGER bill_event ON bill`);
    await q.query(`DROP TRIGGER account_balance_low_event ON account`);
    await q.query(`DROP FUNCTION ledger_event_bill()`);
    await q.query(`DROP FUNCTION ledger_event_balance_low()`);
  }

  async down(): Promise<void> {
    throw new Error('EventsInPosting1763900001100 cannot be undone: restore from a backup taken before it');
  }
}
