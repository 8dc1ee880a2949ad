-- The hold-expiry job's command (no idempotency key: the expiry bill's orderNo expire/<id> makes a second
-- expiry impossible). Expires the hold if it is still OPEN and past its deadline; its data: {expired}.
-- args: {holdId}
CREATE OR REPLACE FUNCTION ledger_op_expire_hold(cmd jsonb, a account) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_app integer := (cmd->>'appId')::integer;
  h hold;
BEGIN
  -- Under the account's row lock, like every change of a hold (ledger_open_hold): no row lock of its own.
  SELECT * INTO h FROM hold WHERE app_id = v_app AND id = (cmd->'args'->>'holdId')::bigint;
  IF a.app_id IS NULL OR h.id IS NULL OR h.status <> 'OPEN' OR h.expires_at > clock_timestamp() THEN
    RETURN '{"expired": false}'::jsonb;
  END IF;
  PERFORM ledger_expire_hold(a, h);
  RETURN '{"expired": true}'::jsonb;
END
$fn$;
