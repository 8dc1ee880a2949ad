-- recharge (and the gateway callback): money that arrived is booked even on a frozen account.
-- args: {amount, info}
CREATE OR REPLACE FUNCTION ledger_op_recharge(cmd jsonb, a account) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  IF a.app_id IS NULL THEN
    RETURN ledger_refusal('NOT_FOUND', format('no account for app %s', cmd->>'appId'));
  END IF;
  RETURN ledger_post(a, ledger_posting(cmd, channel => 'RECHARGE', amount => (cmd->'args'->>'amount')::bigint,
                                         info => cmd->'args'->>'info', refuse_if_frozen => false));
END
$fn$;
