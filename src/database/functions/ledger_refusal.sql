-- A business refusal (SPEC §7 "stored"): the answer is committed and replayed like a success.
CREATE OR REPLACE FUNCTION ledger_refusal(p_code text, p_message text, p_details jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT jsonb_build_object('error', jsonb_build_object('code', p_code, 'message', p_message, 'details', p_details))
$fn$;
