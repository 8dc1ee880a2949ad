import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Concurrent one-statement postings on ONE account, sent together as one
 * statement and one transaction (`ledger_post_batch`): each member runs
 * `ledger_post_once` in order, seeing the balance the members before it left,
 * and gets its own answer. The account row is locked once and committed once
 * for the whole batch, instead of each posting waiting for the row lock and a
 * commit of its own: that is what limits a hot account.
 *
 * A member the rule refuses answers `{"refused": true}` having written
 * nothing, and takes the transaction path alone. A member with the key of an
 * earlier member of the same batch finds that member's stored answer (same
 * transaction) and replays it.
 * An error in any member (LG001, a deadlock) aborts the batch: every member
 * then takes the transaction path, where each gets its own answer.
 */
export class PostingBatches1763900000500 implements MigrationInterface {
  name = 'PostingBatches1763900000500';

  async up(q: QueryRunner): Promise<void> {
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
  }
}
