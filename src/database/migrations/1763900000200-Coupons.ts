import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Coupons (SPEC §4, §5).
 *
 * - `coupon_template` is a small reference table (no app_id), like `price`.
 *   `issued` counts coupons ever issued from it; a conditional UPDATE keeps it
 *   within `stock` (NULL: unlimited), so stock can never oversell.
 * - `coupon_quota` is the per-(app, template) counter behind `per_app_limit`,
 *   raised by a conditional upsert (see CouponService.issue).
 * - `coupon` stores ISSUED or USED only; EXPIRED is derived from `expires_at`
 *   when read, so no job has to keep a status column in step with the clock.
 *   The amounts are copied from the template when issued: a coupon keeps the
 *   terms it was granted with.
 */
export class Coupons1763900000200 implements MigrationInterface {
  name = 'Coupons1763900000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE coupon_template (
        code          varchar(64)  PRIMARY KEY,
        name          varchar(128) NOT NULL,
        discount      bigint  NOT NULL CHECK (discount > 0 AND discount <= 9007199254740991),
        min_spend     bigint  NOT NULL DEFAULT 0 CHECK (min_spend >= 0 AND min_spend <= 9007199254740991),
        stock         integer CHECK (stock >= 0),
        issued        integer NOT NULL DEFAULT 0,
        per_app_limit integer NOT NULL CHECK (per_app_limit >= 1),
        valid_days    integer NOT NULL CHECK (valid_days >= 1),
        created_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT coupon_template_issued_range CHECK (issued >= 0 AND (stock IS NULL OR issued <= stock))
      )`);

    await q.query(`
      CREATE TABLE coupon_quota (
        app_id        integer NOT NULL,
        template_code varchar(64) NOT NULL REFERENCES coupon_template (code),
        issued        integer NOT NULL CHECK (issued >= 0),
        PRIMARY KEY (app_id, template_code)
      )`);

    await q.query(`
      CREATE TABLE coupon (
        id              bigserial,
        app_id          integer NOT NULL,
        template_code   varchar(64) NOT NULL REFERENCES coupon_template (code),
        discount        bigint  NOT NULL CHECK (discount > 0),
        min_spend       bigint  NOT NULL CHECK (min_spend >= 0),
        status          text    NOT NULL CHECK (status IN ('ISSUED','USED')),
        order_no        varchar(64) NOT NULL,
        expires_at      timestamptz NOT NULL,
        used_by_bill_id bigint,
        created_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (app_id, id),
        CONSTRAINT coupon_order UNIQUE (app_id, order_no),
        CONSTRAINT coupon_used_bill CHECK ((status = 'USED') = (used_by_bill_id IS NOT NULL))
      )`);
    // Rollback finds the coupon a pay used by the pay's billId.
    await q.query(`CREATE UNIQUE INDEX coupon_used_by_bill ON coupon (app_id, used_by_bill_id) WHERE used_by_bill_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE coupon`);
    await q.query(`DROP TABLE coupon_quota`);
    await q.query(`DROP TABLE coupon_template`);
  }
}
