-- A stored answer as it was first given: the key row keeps the answer without its bill and names the bill's row
-- (idempotency_key.bill_row, see ledger_run); the bill comes back from the bill table, rendered by the same
-- ledger_bill_json as the first answer. A bill row is never changed once written, so the replay is the first
-- answer (a change to ledger_bill_json must keep every existing field as it renders it today).
CREATE OR REPLACE FUNCTION ledger_stored_answer(p_app integer, p_response jsonb, p_bill_row bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $fn$
  SELECT CASE WHEN p_bill_row IS NULL THEN p_response
         ELSE jsonb_set(p_response, '{data,bill}',
                        (SELECT ledger_bill_json(b) FROM bill b WHERE b.app_id = p_app AND b.id = p_bill_row)) END
$fn$;
