-- rollback: refunds a whole SUCCESS pay once, at the amount it paid (not today's price), booked even on a
-- frozen account; gives its coupon back. What the pay delivered ends with this ROLLBACK bill (it shares the pay's
-- billId; the `entitlement` view reads it as the end). args: {payOrderNo, reason}
CREATE OR REPLACE FUNCTION ledger_op_rollback(cmd jsonb, a account) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_app integer := (cmd->>'appId')::integer;
  v_pay_order text := cmd->'args'->>'payOrderNo';
  pay bill;
  c coupon;
  posted jsonb;
BEGIN
  SELECT * INTO pay FROM bill WHERE app_id = v_app AND order_no = v_pay_order AND channel = 'PAY';
  IF a.app_id IS NULL OR NOT FOUND OR pay.status <> 'SUCCESS' THEN
    RETURN ledger_refusal('NOT_FOUND', format('no successful pay with orderNo %s for app %s', v_pay_order, v_app));
  END IF;
  IF EXISTS (SELECT 1 FROM bill WHERE app_id = v_app AND bill_id = pay.bill_id AND channel = 'ROLLBACK') THEN
    RETURN ledger_refusal('ALREADY_REVERSED', format('pay %s was already rolled back', v_pay_order));
  END IF;
  -- The pay's bill names the coupon it used (priceInfo.couponId); it is given back only if it is still that pay's.
  IF pay.price_info ? 'couponId' THEN
    SELECT * INTO c FROM coupon
     WHERE app_id = v_app AND id = (pay.price_info->>'couponId')::bigint AND used_by_bill_id = pay.bill_id
       FOR UPDATE;
  END IF;
  posted := ledger_post(a, ledger_posting(cmd, channel => 'ROLLBACK', amount => -pay.amount, bill_id => pay.bill_id,
                                           info => cmd->'args'->>'reason', price_info => pay.price_info,
                                           refuse_if_frozen => false));
  IF posted ? 'error' THEN
    RETURN posted;
  END IF;
  -- The coupon comes back with the refund; past its date it shows (and acts) as EXPIRED.
  IF c.id IS NOT NULL THEN
    UPDATE coupon SET status = 'ISSUED', used_by_bill_id = NULL WHERE app_id = v_app AND id = c.id;
  END IF;
  RETURN posted;
END
$fn$;
