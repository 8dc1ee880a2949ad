-- releaseHold: ends an OPEN hold without debit (a RELEASE bill of amount 0 sharing its billId).
-- args: {holdId}
CREATE OR REPLACE FUNCTION ledger_op_release_hold(cmd jsonb, a account) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_app integer := (cmd->>'appId')::integer;
  l record;
  h hold;
  posted jsonb;
BEGIN
  l := ledger_open_hold(a, v_app, cmd->'args'->>'holdId');
  IF l.refusal IS NOT NULL THEN
    RETURN l.refusal;
  END IF;
  h := l.h;
  posted := ledger_post(a, ledger_posting(cmd, channel => 'RELEASE', amount => 0, held_delta => -h.amount,
    bill_id => h.bill_id, refuse_if_frozen => false, answer_bill => false,
    price_info => jsonb_build_object('hold', jsonb_build_object('id', h.id::text, 'amount', h.amount))));
  IF posted ? 'error' THEN
    RETURN posted;
  END IF;
  UPDATE hold SET status = 'RELEASED', captured = 0, ended_at = clock_timestamp()
   WHERE app_id = v_app AND id = h.id
  RETURNING * INTO h;
  RETURN jsonb_build_object('hold', ledger_hold_json(h), 'account', posted->'account');
END
$fn$;
