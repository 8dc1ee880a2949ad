import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The posting rule as a server-side function, and the one-statement
 * idempotent posting built on it.
 *
 * `ledger_apply` is the ledger's single write path (it was an inline CTE in
 * LedgerService): the account update, whose WHERE is the business rule (not
 * frozen, available never negative, balance within 2^53, no other holder's
 * AppLock lease), and its SUCCESS bill. No row comes back when the rule
 * refuses.
 *
 * `ledger_post_once` is a whole idempotent mutation that is nothing but one
 * posting (recharge, a pay of an amount) in ONE round trip and one
 * transaction: look the key up (a replay returns the stored answer and writes
 * nothing), claim it, post, store the answer. What it does not finish goes
 * back to the service's transaction path:
 *  - `{"refused": true}`: the rule refused; the function deleted its own claim
 *    (nothing else was written), and the transaction path explains the
 *    refusal, writes the FAILED bill or waits for a lease. Answering rather
 *    than raising lets one member of a batch (…500) be refused alone;
 *  - LG001 (raised): a concurrent request with the same key held it past
 *    lock_timeout (REQUEST_IN_PROGRESS);
 *  - LG002 (raised): the key changed under it (a rare race with the purge).
 * Its stored answer is `{"rows": {"account": ..., "bill": ...}}`, the rows the
 * service maps to the API exactly as it maps the first answer.
 */
export class OneStatementPosting1763900000400 implements MigrationInterface {
  name = 'OneStatementPosting1763900000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION ledger_apply(
        p_app_id integer, p_order_no text, p_amount bigint, p_held_delta bigint, p_refuse_if_frozen boolean,
        p_bill_id bigint, p_channel text, p_info text, p_user text, p_price_info jsonb, p_src_ip text,
        p_lease_token bigint)
      RETURNS TABLE (account json, bill json)
      LANGUAGE sql VOLATILE AS $$
        WITH acc AS (
          UPDATE account
             SET balance = balance + p_amount, held = held + p_held_delta, version = version + 1, updated_at = now()
           WHERE app_id = p_app_id
             AND NOT (p_refuse_if_frozen AND frozen)
             AND balance + p_amount >= held + p_held_delta
             AND held + p_held_delta >= 0
             AND balance + p_amount <= 9007199254740991
             AND NOT EXISTS (SELECT 1 FROM app_lock l
                              WHERE l.app_id = p_app_id AND l.owner IS NOT NULL
                                AND l.expires_at > clock_timestamp()
                                AND l.token IS DISTINCT FROM p_lease_token)
          RETURNING *
        ), b AS (
          INSERT INTO bill (bill_id, app_id, order_no, channel, amount, old_balance, new_balance,
                            status, ret_code, info, bill_user, price_info, src_ip)
          SELECT COALESCE(p_bill_id, nextval('serial_seq')), app_id, p_order_no, p_channel, p_amount,
                 balance - p_amount, balance, 'SUCCESS', 0, p_info, p_user, p_price_info, p_src_ip
            FROM acc
          RETURNING *
        )
        SELECT row_to_json(acc), row_to_json(b) FROM acc, b
      $$`);

    await q.query(`
      CREATE FUNCTION ledger_post_once(
        p_operation text, p_fingerprint text,
        p_app_id integer, p_order_no text, p_amount bigint, p_held_delta bigint, p_refuse_if_frozen boolean,
        p_bill_id bigint, p_channel text, p_info text, p_user text, p_price_info jsonb, p_src_ip text,
        p_lease_token bigint)
      RETURNS jsonb
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        k record;
        posted record;
        claimed integer;
      BEGIN
        SELECT i.fingerprint, i.response INTO k
          FROM idempotency_key i WHERE i.app_id = p_app_id AND i.order_no = p_order_no;
        IF FOUND THEN
          RETURN jsonb_build_object('fingerprint', k.fingerprint, 'stored', k.response);
        END IF;

        -- A concurrent first request with this key makes the insert wait for its end
        -- (bounded by lock_timeout); it then claims (that one rolled back) or does nothing.
        BEGIN
          INSERT INTO idempotency_key (app_id, order_no, operation, fingerprint)
          VALUES (p_app_id, p_order_no, p_operation, p_fingerprint)
          ON CONFLICT (app_id, order_no) DO NOTHING;
          GET DIAGNOSTICS claimed = ROW_COUNT;
        EXCEPTION WHEN lock_not_available THEN
          RAISE EXCEPTION 'orderNo % is still being processed', p_order_no USING ERRCODE = 'LG001';
        END;

        IF claimed = 0 THEN
          -- The other request committed: its answer is visible to this new statement.
          SELECT i.fingerprint, i.response INTO k
            FROM idempotency_key i WHERE i.app_id = p_app_id AND i.order_no = p_order_no;
          IF NOT FOUND OR k.response IS NULL THEN
            RAISE EXCEPTION 'key % changed under us', p_order_no USING ERRCODE = 'LG002';
          END IF;
          RETURN jsonb_build_object('fingerprint', k.fingerprint, 'stored', k.response);
        END IF;

        SELECT a.account, a.bill INTO posted
          FROM ledger_apply(p_app_id, p_order_no, p_amount, p_held_delta, p_refuse_if_frozen, p_bill_id,
                            p_channel, p_info, p_user, p_price_info, p_src_ip, p_lease_token) a;
        IF NOT FOUND THEN
          DELETE FROM idempotency_key WHERE app_id = p_app_id AND order_no = p_order_no;
          RETURN jsonb_build_object('refused', true);
        END IF;

        UPDATE idempotency_key
           SET response = jsonb_build_object('rows', jsonb_build_object('account', posted.account, 'bill', posted.bill))
         WHERE app_id = p_app_id AND order_no = p_order_no;
        RETURN jsonb_build_object('account', posted.account, 'bill', posted.bill);
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ledger_post_once(text, text, integer, text, bigint, bigint, boolean, bigint, text, text, text, jsonb, text, bigint)`);
    await q.query(`DROP FUNCTION ledger_apply(integer, text, bigint, bigint, boolean, bigint, text, text, text, jsonb, text, bigint)`);
  }
}
