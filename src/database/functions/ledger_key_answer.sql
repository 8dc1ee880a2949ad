-- The answer a command's key already has, or NULL when the key (app, orderNo) is free (a key is written with its
-- answer, so a visible key always has one): for the same request (same fingerprint), the stored answer marked
-- replayed, its bill put back by ledger_stored_answer; for another input, IDEMPOTENCY_KEY_REUSED (not stored, and
-- nothing is rendered for it). ledger_run's one key look-up, used before and again under the account row lock.
CREATE OR REPLACE FUNCTION ledger_key_answer(p_app integer, p_order text, p_fingerprint text) RETURNS jsonb
LANGUAGE sql STABLE AS $fn$
  SELECT CASE WHEN i.fingerprint = p_fingerprint
              THEN ledger_stored_answer(p_app, i.response, i.bill_row) || '{"replayed": true}'::jsonb
              ELSE ledger_rejection('IDEMPOTENCY_KEY_REUSED',
                                    'this orderNo was already used with a different operation or input') END
    FROM idempotency_key i WHERE i.app_id = p_app AND i.order_no = p_order
$fn$;
