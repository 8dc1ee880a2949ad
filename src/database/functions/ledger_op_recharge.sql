-- recharge (and the gateway callback): money that arrived is booked even on a frozen account.
-- args: {amount, info}
CREATE OR REPLACE FUNCTION ledger_op_recharge(cmd jsonb, a account) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  posted jsonb;
BEGIN
  IF a.app_id IS NULL THEN
    RETURN ledger_refusal('NOT_FOUND', format('no account for app %s', cmd->>'appId'));
  END IF;
  posted := ledger_post(a, cmd || jsonb_build_object('channel', 'RECHARGE', 'amount', cmd->'args'->'amount',
                                                     'info', cmd->'args'->'info', 'refuseIfFrozen', false));
  RETURN CASE WHEN posted ? 'error' THEN posted ELSE jsonb_build_object('data', posted) END;
END
$fn$;
