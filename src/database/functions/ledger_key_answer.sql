-- The answer a command's key already has, or NULL when the key (app, orderNo) is free: the stored answer marked
-- replayed for the same request (same fingerprint), its bill put back by ledger_stored_answer; else
-- IDEMPOTENCY_KEY_REUSED (ledger_replay; nothing is rendered for it). ledger_run's one key look-up, used before
-- and again under the account row lock.
CREATE OR REPLACE FUNCTION ledger_key_answer(p_app integer, p_order text, p_fingerprint text) RETURNS jsonb
LANGUAGE sql STABLE AS $fn$
  SELECT ledger_replay(i.fingerprint,
                       CASE WHEN i.fingerprint = p_fingerprint
                            THEN ledger_stored_answer(p_app, i.response, i.bill_row) END,
                       p_fingerprint)
    FROM idempotency_key i WHERE i.app_id = p_app AND i.order_no = p_order
$fn$;
