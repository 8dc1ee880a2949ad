import { MigrationInterface, QueryRunner } from 'typeorm';
import { OneStatementPosting1763900000400 } from './1763900000400-OneStatementPosting';

/**
 * Concurrent one-statement postings on ONE account, sent together as one
 * statement and one transaction (`ledger_post_batch`): each member runs
 * `ledger_post_once` in order, seeing the balance the members before it left,
 * and gets its own answer. The account row is locked once and committed once
 * for the whole batch, instead of each posting waiting for the row lock and a
 * commit of its own: that is what limits a hot account.
 *
 * So that one member's refusal cannot undo the others, `ledger_post_once` no
 * longer raises when the rule refuses: it deletes its own claim (nothing else
 * was written) and answers `{"refused": true}`; the service then takes the
 * transaction path for that request, which explains the refusal and writes
 * its FAILED bill. A member with the key of an earlier member of the same
 * batch finds that member's stored answer (same transaction) and replays it.
 * An error in any member (LG001, a deadlock) aborts the batch: every member
 * then takes the transaction path, where each gets its own answer.
 */
export class PostingBatches1763900000500 implements MigrationInterface {
  name = 'PostingBatches1763900000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION ledger_post_once(
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

    // Members: [{operation, fingerprint, appId, orderNo, amount, heldDelta, refuseIfFrozen, billId, channel,
    //            info, user, priceInfo, srcIp, leaseToken}], in order. Answers: one per member, in order.
    await q.query(`
      CREATE FUNCTION ledger_post_batch(p_members jsonb)
      RETURNS jsonb
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        m jsonb;
        answers jsonb := '[]'::jsonb;
      BEGIN
        FOR m IN SELECT value FROM jsonb_array_elements(p_members) LOOP
          answers := answers || jsonb_build_array(ledger_post_once(
            m->>'operation', m->>'fingerprint', (m->>'appId')::integer, m->>'orderNo', (m->>'amount')::bigint,
            (m->>'heldDelta')::bigint, (m->>'refuseIfFrozen')::boolean, (m->>'billId')::bigint, m->>'channel',
            m->>'info', m->>'user', NULLIF(m->'priceInfo', 'null'::jsonb), m->>'srcIp', (m->>'leaseToken')::bigint));
        END LOOP;
        RETURN answers;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ledger_post_batch(jsonb)`);
    // ledger_post_once goes back to raising LG002 on a refusal: see migration …400.
    await q.query(`DROP FUNCTION ledger_post_once(text, text, integer, text, bigint, bigint, boolean, bigint, text, text, text, jsonb, text, bigint)`);
    await q.query(`DROP FUNCTION ledger_apply(integer, text, bigint, bigint, boolean, bigint, text, text, text, jsonb, text, bigint)`);
    await new OneStatementPosting1763900000400().up(q);
  }
}
