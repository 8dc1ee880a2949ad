-- captureHold: debits amount (default: all) of an OPEN hold and releases the rest in the same CAPTURE bill,
-- sharing the hold's billId. Honoured on a frozen account: the money was set aside while it could spend.
-- args: {holdId, amount}
CREATE OR REPLACE FUNCTION ledger_op_capture_hold(cmd jsonb, a account) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_app integer := (cmd->>'appId')::integer;
  l record;
  h hold;
  v_amount bigint;
  posted jsonb;
BEGIN
  l := ledger_open_hold(a, v_app, cmd->'args'->>'holdId');
  IF l.refusal IS NOT NULL THEN
    RETURN l.refusal;
  END IF;
  h := l.h;
  v_amount := COALESCE((cmd->'args'->>'amount')::bigint, h.amount);
  IF v_amount > h.amount THEN
    RETURN ledger_rejection('INVALID_ARGUMENT',
      format('input.amount: %s is above the hold''s %s cents', v_amount, h.amount), 'input.amount');
  END IF;
  posted := ledger_post(a, ledger_posting(cmd, channel => 'CAPTURE', amount => -v_amount, held_delta => -h.amount,
    bill_id => h.bill_id, refuse_if_frozen => false,
    price_info => jsonb_build_object('hold', jsonb_build_object('id', h.id::text, 'amount', h.amount,
                                                                'captured', v_amount))));
  IF posted ? 'error' THEN
    RETURN posted;
  END IF;
  UPDATE hold SET status = 'CAPTURED', captured = v_amount, ended_at = clock_timestamp()
   WHERE app_id = v_app AND id = h.id
  RETURNING * INTO h;
  RETURN posted || jsonb_build_object('hold', ledger_hold_json(h));
END
$fn$;
