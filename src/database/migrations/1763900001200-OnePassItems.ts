import { MigrationInterface, QueryRunner } from 'typeorm';
import { functionSql } from '../sql-files';

/**
 * Reinstalls ledger_op_pay (src/database/functions/ledger_op_pay.sql): a pay by items prices its lines in one
 * query (lines, total and the first unknown item together) instead of three. Same answers, same bills.
 */
export class OnePassItems1763900001200 implements MigrationInterface {
  name = 'OnePassItems1763900001200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(functionSql('ledger_op_pay'));
  }

  async down(): Promise<void> {
    throw new Error('OnePassItems1763900001200 cannot be undone: restore from a backup taken before it');
  }
}
