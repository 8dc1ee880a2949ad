import { MigrationInterface, QueryRunner } from 'typeorm';
import { functionSql } from '../sql-files';

/** The outbox's functions, one file each under src/database/functions/ (as the write path's). */
const FUNCTIONS = [
  'ledger_json_time',
  'ledger_emit_event',
  'ledger_event_bill',
  'ledger_event_account',
  'ledger_event_balance_low',
  'ledger_event_coupon',
  'ledger_event_statement',
];

/**
 * Events (docs/events.md): the outbox `ledger_event`, written by triggers in
 * the statement that writes each fact; the sequencer's state; webhook
 * endpoints and deliveries; balance alerts. The trigger functions live in
 * src/database/functions/ledger_event_*.sql (and ledger_emit_event, ledger_json_time).
 * Events are written by triggers on the tables that hold the facts, so an event is part
 * of the very statement that writes its fact, on every write path: it commits or rolls
 * back with it, and a replayed mutation, which writes no row, writes no event. Triggers
 * are skipped on a connection started with `-c ledger.events=off` (EVENTS=off).
 *
 * `seq` is NULL until the sequencer gives a committed event its place in the
 * feed; both seq indexes are partial, so the hot path's insert touches only
 * the primary key and the small index of unsequenced events.
 */
export class Events1763900001000 implements MigrationInterface {
  name = 'Events1763900001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_event (
        id         bigserial PRIMARY KEY,
        seq        bigint,
        type       text    NOT NULL CHECK (type IN ('BILL_RECORDED','ACCOUNT_OPENED','ACCOUNT_FROZEN','ACCOUNT_UNFROZEN',
                                                    'COUPON_ISSUED','BALANCE_LOW','STATEMENT_READY','RECONCILIATION_COMPLETED')),
        app_id     integer NOT NULL,
        data       jsonb   NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ledger_event_unsequenced ON ledger_event (id) WHERE seq IS NULL`);
    await q.query(`CREATE UNIQUE INDEX ledger_event_seq ON ledger_event (seq) WHERE seq IS NOT NULL`);
    await q.query(`CREATE INDEX ledger_event_app_seq ON ledger_event (app_id, seq) WHERE seq IS NOT NULL`);
    await q.query(`CREATE INDEX ledger_event_created ON ledger_event (created_at)`);

    // One row: the last seq given. Its row lock makes one sequencer run at a time across instances.
    await q.query(`
      CREATE TABLE event_sequencer (
        id       integer PRIMARY KEY CHECK (id = 1),
        last_seq bigint  NOT NULL
      )`);
    await q.query(`INSERT INTO event_sequencer (id, last_seq) VALUES (1, 0)`);

    await q.query(`
      CREATE TABLE balance_alert (
        app_id     integer PRIMARY KEY,
        below      bigint  NOT NULL CHECK (below >= 0 AND below <= 9007199254740991),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE webhook_endpoint (
        id         bigserial PRIMARY KEY,
        url        text    NOT NULL,
        app_id     integer,
        types      text[],
        secret     text    NOT NULL,
        enabled    boolean NOT NULL DEFAULT true,
        disabled_reason text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE webhook_delivery (
        id              bigserial PRIMARY KEY,
        endpoint_id     bigint  NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
        event_id        bigint  NOT NULL REFERENCES ledger_event (id) ON DELETE CASCADE,
        status          text    NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','DELIVERED','FAILED')),
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until     timestamptz,
        last_status     integer,
        last_error      text,
        delivered_at    timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhook_delivery_once UNIQUE (endpoint_id, event_id)
      )`);
    await q.query(
      `CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING'`,
    );
    await q.query(`CREATE INDEX webhook_delivery_event ON webhook_delivery (event_id)`);

    for (const f of FUNCTIONS) await q.query(functionSql(f));

    const on = `current_setting('ledger.events', true) IS DISTINCT FROM 'off'`;
    await q.query(`CREATE TRIGGER bill_event AFTER INSERT ON bill FOR EACH ROW WHEN (${on})
                   EXECUTE FUNCTION ledger_event_bill()`);
    await q.query(`CREATE TRIGGER account_opened_event AFTER INSERT ON account FOR EACH ROW WHEN (${on})
                   EXECUTE FUNCTION ledger_event_account()`);
    await q.query(`CREATE TRIGGER account_frozen_event AFTER UPDATE OF frozen ON account FOR EACH ROW
                   WHEN (OLD.frozen IS DISTINCT FROM NEW.frozen AND ${on})
                   EXECUTE FUNCTION ledger_event_account()`);
    await q.query(`CREATE TRIGGER account_balance_low_event AFTER UPDATE ON account FOR EACH ROW
                   WHEN (NEW.balance - NEW.held < OLD.balance - OLD.held AND ${on})
                   EXECUTE FUNCTION ledger_event_balance_low()`);
    await q.query(`CREATE TRIGGER coupon_event AFTER INSERT ON coupon FOR EACH ROW WHEN (${on})
                   EXECUTE FUNCTION ledger_event_coupon()`);
    await q.query(`CREATE CONSTRAINT TRIGGER statement_event AFTER INSERT ON statement
                   DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (${on})
                   EXECUTE FUNCTION ledger_event_statement()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER statement_event ON statement`);
    await q.query(`DROP TRIGGER coupon_event ON coupon`);
    await q.query(`DROP TRIGGER account_balance_low_event ON account`);
    await q.query(`DROP TRIGGER account_frozen_event ON account`);
    await q.query(`DROP TRIGGER account_opened_event ON account`);
    await q.query(`DROP TRIGGER bill_event ON bill`);
    for (const f of [
      'ledger_event_statement()',
      'ledger_event_coupon()',
      'ledger_event_balance_low()',
      'ledger_event_account()',
      'ledger_event_bill()',
      'ledger_emit_event(text, integer, jsonb)',
      'ledger_json_time(timestamptz)',
    ]) {
      await q.query(`DROP FUNCTION ${f}`);
    }
    for (const t of ['webhook_delivery', 'webhook_endpoint', 'balance_alert', 'event_sequencer', 'ledger_event']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
