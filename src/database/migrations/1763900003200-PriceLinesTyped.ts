import { MigrationInterface, QueryRunner } from 'typeorm';
import { functionSql } from '../sql-files';

/**
 * A pay by items is priced by its own function, ledger_price_items (the price rule, moved out of ledger_op_pay
 * unchanged), which gathers the lines as rows of a type and turns them into JSON once, with their total. Before,
 * each line was built as a jsonb object and appended to the array (a copy of the array so far), and the array then
 * copied again into {items, total}. Same priceInfo, key for key (jsonb keeps no key order): a line is
 * {name, quantity, unitPrice, billing, subtotal}.
 *
 * The types come first: a function's declared variables are resolved when it is created, and ledger_op_pay,
 * which an earlier migration installs from the current file, only calls ledger_price_items (a call is resolved when
 * it runs).
 */
export class PriceLinesTyped1763900003200 implements MigrationInterface {
  name = 'PriceLinesTyped1763900003200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TYPE price_line AS (name text, quantity bigint, "unitPrice" bigint, billing text, subtotal numeric)`,
    );
    await q.query(`CREATE TYPE priced_items AS (items price_line[], total numeric)`);
    for (const f of ['ledger_price_items', 'ledger_op_pay']) await q.query(functionSql(f));
  }

  async down(): Promise<void> {
    throw new Error(`${this.name} cannot be undone: restore from a backup taken before it`);
  }
}
