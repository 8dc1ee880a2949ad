import { MigrationInterface, QueryRunner } from 'typeorm';
import { functionSql } from '../sql-files';

/**
 * Reinstalls ledger_post (src/database/functions/ledger_post.sql): the balance-alert check reads `available` from
 * the account row the update returned instead of working it out again from the posting's deltas, and the bill's
 * JSON is built once for the answer and the event alike. Same events, bills and answers.
 */
export class PostingAlertAfterUpdate1763900001300 implements MigrationInterface {
  name = 'PostingAlertAfterUpdate1763900001300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(functionSql('ledger_post'));
  }

  async down(): Promise<void> {
    throw new Error('PostingAlertAfterUpdate1763900001300 cannot be undone: restore from a backup taken before it');
  }
}
