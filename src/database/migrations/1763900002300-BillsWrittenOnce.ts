import { MigrationInterface, QueryRunner } from 'typeorm';
import { functionSql } from '../sql-files';

/**
 * A bill is written once, in the bill table. Until now each one was also copied, as its JSON (with its priceInfo),
 * into the command's stored answer and into its BILL_RECORDED event: three copies of the same immutable row, each
 * written to the WAL. Now the stored answer and the event keep the rest of their JSON and name the bill's row
 * (`bill_row`, the bill's `id`); ledger_stored_answer (a replay) and ledger_event_data (the feed, subscriptions,
 * webhooks) put the bill back, rendered by the same ledger_bill_json. Answers and events read the same as before.
 * Keys and events written before this migration keep their copies (bill_row NULL) and are read as they are.
 * Installs ledger_post, ledger_run, ledger_stored_answer and ledger_event_data (src/database/functions/).
 */
export class BillsWrittenOnce1763900002300 implements MigrationInterface {
  name = 'BillsWrittenOnce1763900002300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_key ADD COLUMN bill_row bigint`);
    await q.query(`ALTER TABLE ledger_event ADD COLUMN bill_row bigint`);
    for (const f of ['ledger_stored_answer', 'ledger_event_data', 'ledger_post', 'ledger_run']) {
      await q.query(functionSql(f));
    }
  }

  async down(): Promise<void> {
    throw new Error('BillsWrittenOnce1763900002300 cannot be undone: restore from a backup taken before it');
  }
}
