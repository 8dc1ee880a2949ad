import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first slice: accounts, the ledger (bill), serials, prices, entitlements,
 * the idempotency (dedupe) table, API keys and the AppLock lease table.
 *
 * Every app-owned table carries app_id, and every primary or unique key of
 * those tables includes it, so they can be distributed by app_id on Citus
 * without change (price and api_key are small reference tables).
 * Money is bigint cents; the CHECKs keep it within JavaScript's safe integers.
 */
export class Init1763900000000 implements MigrationInterface {
  name = 'Init1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE serial_seq AS bigint START 100000000 MINVALUE 100000000`);

    await q.query(`
      CREATE TABLE account (
        app_id        integer PRIMARY KEY CHECK (app_id > 0),
        balance       bigint  NOT NULL DEFAULT 0,
        held          bigint  NOT NULL DEFAULT 0,
        frozen        boolean NOT NULL DEFAULT false,
        freeze_reason text,
        version       integer NOT NULL DEFAULT 0,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT account_balance_range CHECK (balance >= 0 AND balance <= 9007199254740991),
        CONSTRAINT account_held_range CHECK (held >= 0 AND held <= balance)
      )`);

    await q.query(`
      CREATE TABLE bill (
        id          bigserial,
        bill_id     bigint  NOT NULL,
        app_id      integer NOT NULL,
        order_no    varchar(64) NOT NULL,
        channel     text    NOT NULL CHECK (channel IN ('RECHARGE','PAY','ROLLBACK','HOLD','CAPTURE','RELEASE','SETTLEMENT')),
        amount      bigint  NOT NULL,
        old_balance bigint  NOT NULL,
        new_balance bigint  NOT NULL,
        status      text    NOT NULL CHECK (status IN ('SUCCESS','FAILED')),
        ret_code    integer NOT NULL,
        info        text,
        bill_user   text,
        price_info  jsonb,
        src_ip      text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (app_id, id),
        CONSTRAINT bill_serial_channel UNIQUE (app_id, bill_id, channel),
        CONSTRAINT bill_order_channel UNIQUE (app_id, order_no, channel),
        CONSTRAINT bill_balance_arith CHECK (status <> 'SUCCESS' OR old_balance + amount = new_balance)
      )`);
    await q.query(`CREATE INDEX bill_app_time ON bill (app_id, created_at)`);

    await q.query(`
      CREATE TABLE price (
        name       varchar(128) PRIMARY KEY,
        price      bigint NOT NULL CHECK (price >= 0 AND price <= 9007199254740991),
        billing    text   NOT NULL CHECK (billing IN ('ONE_TIME','MONTHLY')),
        info       text   NOT NULL DEFAULT '',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE entitlement (
        id         bigserial,
        app_id     integer NOT NULL,
        name       varchar(128) NOT NULL,
        quantity   integer NOT NULL CHECK (quantity > 0),
        billing    text    NOT NULL,
        unit_price bigint  NOT NULL,
        bill_id    bigint  NOT NULL,
        active     boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_at   timestamptz,
        PRIMARY KEY (app_id, id)
      )`);
    await q.query(`CREATE INDEX entitlement_bill ON entitlement (app_id, bill_id)`);

    await q.query(`
      CREATE TABLE idempotency_key (
        app_id      integer NOT NULL,
        order_no    varchar(64) NOT NULL,
        operation   text    NOT NULL,
        fingerprint text    NOT NULL,
        response    jsonb,
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (app_id, order_no)
      )`);
    await q.query(`CREATE INDEX idempotency_key_created ON idempotency_key (created_at)`);

    await q.query(`
      CREATE TABLE api_key (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key_hash   text NOT NULL UNIQUE,
        role       text NOT NULL CHECK (role IN ('ADMIN','OPERATOR','APP')),
        app_id     integer,
        label      text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CONSTRAINT api_key_app_role CHECK ((role = 'APP') = (app_id IS NOT NULL))
      )`);

    await q.query(`
      CREATE TABLE app_lock (
        app_id     integer PRIMARY KEY,
        owner      text,
        token      bigint NOT NULL DEFAULT 0,
        expires_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['app_lock', 'api_key', 'idempotency_key', 'entitlement', 'price', 'bill', 'account']) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`DROP SEQUENCE serial_seq`);
  }
}
