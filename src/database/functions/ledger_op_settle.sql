-- Settlement's charge of one account's month (no idempotency key: the statement row and the bill's unique
-- orderNo settle:YYYY-MM guard it), under the settlement's own AppLock lease (cmd.leaseToken); charged even
-- on a frozen account. args: {amount (the positive sum due), info, priceInfo}
CREATE OR REPLACE FUNCTION ledger_op_settle(cmd jsonb, a account) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  posted jsonb;
BEGIN
  IF a.app_id IS NULL THEN
    RETURN ledger_refusal('NOT_FOUND', format('no account for app %s', cmd->>'appId'));
  END IF;
  posted := ledger_post(a, cmd || jsonb_build_object('channel', 'SETTLEMENT', 'amount', -(cmd->'args'->>'amount')::bigint,
                                                     'info', cmd->'args'->'info', 'priceInfo', cmd->'args'->'priceInfo',
                                                     'refuseIfFrozen', false));
  RETURN CASE WHEN posted ? 'error' THEN posted ELSE jsonb_build_object('data', posted) END;
END
$fn$;
