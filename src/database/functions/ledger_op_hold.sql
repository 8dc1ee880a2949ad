-- hold: reserves amount from available (a HOLD bill of amount 0, held +amount) for ttlSeconds.
-- args: {amount, ttlSeconds, info}
CREATE OR REPLACE FUNCTION ledger_op_hold(cmd jsonb, a account) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  args jsonb := cmd->'args';
  h hold;
  posted jsonb;
BEGIN
  IF a.app_id IS NULL THEN
    RETURN ledger_refusal('NOT_FOUND', format('no account for app %s', cmd->>'appId'));
  END IF;
  -- HOLD bills carry amount 0; the reserved sum is kept on the bill too, so the ledger alone tells the story.
  posted := ledger_post(a, ledger_posting(cmd, channel => 'HOLD', amount => 0, held_delta => (args->>'amount')::bigint,
    info => args->>'info', answer_bill => false,
    price_info => jsonb_build_object('hold', jsonb_build_object('amount', args->'amount',
                                                                'ttlSeconds', args->'ttlSeconds'))));
  IF posted ? 'error' THEN
    RETURN posted;
  END IF;
  INSERT INTO hold (app_id, order_no, bill_id, amount, expires_at)
  VALUES (a.app_id, cmd->>'orderNo', (posted->>'billId')::bigint, (args->>'amount')::bigint,
          now() + make_interval(secs => (args->>'ttlSeconds')::double precision))
  RETURNING * INTO h;
  RETURN jsonb_build_object('hold', ledger_hold_json(h), 'account', posted->'account');
END
$fn$;
