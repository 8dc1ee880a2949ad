-- An answer that is NOT stored (bad input, a reused key): ledger_run writes no key for it and keeps nothing, so
-- a retry (or a corrected request) runs afresh. Every such check runs before the command's first write.
CREATE OR REPLACE FUNCTION ledger_rejection(p_code text, p_message text, p_field text DEFAULT NULL) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT ledger_refusal(p_code, p_message,
                        CASE WHEN p_field IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('field', p_field) END)
         || '{"stored": false}'::jsonb
$fn$;
