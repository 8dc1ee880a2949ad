import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monthly statements. (app_id, month) is the primary key: a second settlement
 * run of the same month, or a concurrent one on another instance, finds the
 * row and changes nothing. Debits are stored as a positive sum, so
 * closing = opening + credits - debits when the ledger is sound.
 */
export class Settlement1763900000300 implements MigrationInterface {
  name = 'Settlement1763900000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE statement (
        app_id             integer NOT NULL,
        month              char(7) NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        opening_balance    bigint  NOT NULL CHECK (opening_balance >= 0),
        credits            bigint  NOT NULL CHECK (credits >= 0),
        debits             bigint  NOT NULL CHECK (debits >= 0),
        closing_balance    bigint  NOT NULL CHECK (closing_balance >= 0),
        bill_count         integer NOT NULL CHECK (bill_count >= 0),
        recurring_charge   bigint  NOT NULL DEFAULT 0 CHECK (recurring_charge >= 0),
        arrears            bigint  NOT NULL DEFAULT 0 CHECK (arrears >= 0),
        verified           boolean NOT NULL,
        settlement_bill_id bigint,
        created_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (app_id, month)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE statement`);
  }
}
