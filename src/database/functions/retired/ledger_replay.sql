-- The answer to a key already taken: its stored answer, marked replayed, when the request is the same
-- (same fingerprint), else IDEMPOTENCY_KEY_REUSED (not stored).
CREATE OR REPLACE FUNCTION ledger_replay(p_stored_fingerprint text, p_response jsonb, p_fingerprint text) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE WHEN p_stored_fingerprint = p_fingerprint THEN p_response || '{"replayed": true}'::jsonb
         ELSE ledger_refusal('IDEMPOTENCY_KEY_REUSED',
                             'this orderNo was already used with a different operation or input')
              || '{"stored": false}'::jsonb END
$fn$;
