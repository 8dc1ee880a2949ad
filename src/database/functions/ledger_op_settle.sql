-- Settlement's charge of one account's month (no idempotency key: the statement row and the bill's unique
-- orderNo settle:YYYY-MM guard it), under the settlement's own AppLock lease (cmd.leaseToken); charged even
-- on a frozen account. args: {amount (the positive sum due), info, priceInfo}
CREATE OR REPLACE FUNCTION ledger_op_settle(cmd jsonb, a account) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  IF a.app_id IS NULL THEN
    RETURN ledger_refusal('NOT_FOUND', format('no account for app %s', cmd->>'appId'));
  END IF;
  RETURN ledger_post(a, ledger_posting(cmd, channel => 'SETTLEMENT', amount => -(cmd->'args'->>'amount')::bigint,
                                         info => cmd->'args'->>'info', price_info => cmd->'args'->'priceInfo',
                                         refuse_if_frozen => false));
END
$fn$;
