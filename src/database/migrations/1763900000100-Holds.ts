import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Holds (pre-authorisations). A hold reserves `amount` of an account's
 * balance (account.held) until it is captured, released or expired; its life
 * is also written in the ledger: a HOLD bill when it is placed, then exactly
 * one CAPTURE or RELEASE bill sharing the hold's bill_id when it ends, so
 * (app_id, bill_id, channel) uniqueness forbids ending it twice.
 *
 * Keys include app_id (Citus-ready, like every app-owned table).
 */
export class Holds1763900000100 implements MigrationInterface {
  name = 'Holds1763900000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE hold (
        app_id     integer NOT NULL,
        id         bigserial,
        order_no   varchar(64) NOT NULL,
        bill_id    bigint  NOT NULL,
        amount     bigint  NOT NULL CHECK (amount > 0 AND amount <= 9007199254740991),
        captured   bigint  NOT NULL DEFAULT 0,
        status     text    NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','CAPTURED','RELEASED','EXPIRED')),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_at   timestamptz,
        PRIMARY KEY (app_id, id),
        CONSTRAINT hold_order UNIQUE (app_id, order_no),
        CONSTRAINT hold_bill UNIQUE (app_id, bill_id),
        CONSTRAINT hold_captured_range CHECK (captured >= 0 AND captured <= amount),
        CONSTRAINT hold_captured_only_when_captured CHECK (status = 'CAPTURED' OR captured = 0),
        CONSTRAINT hold_ended CHECK ((status = 'OPEN') = (ended_at IS NULL))
      )`);
    // The expiry job's pick, and the sum of an account's open holds (= account.held).
    await q.query(`CREATE INDEX hold_open_expiry ON hold (expires_at) WHERE status = 'OPEN'`);
    await q.query(`CREATE INDEX hold_open_app ON hold (app_id) INCLUDE (amount) WHERE status = 'OPEN'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE hold`);
  }
}
