-- pay: an amount, or items priced from `price` by ledger_price_items (the lines and their total are the bill's
-- priceInfo), optionally with a coupon
-- (checked under the account's lock; used only when the debit succeeds, so a refused pay leaves it ISSUED).
-- Delivery is the SUCCESS bill itself: the `entitlement` view lists the lines of its priceInfo (migration
-- EntitlementsFromBills), so the debit and what it delivered are one row, written once.
-- args: {amount | items: [{name, quantity}], couponId, info}
CREATE OR REPLACE FUNCTION ledger_op_pay(cmd jsonb, a account) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  args jsonb := cmd->'args';
  v_app integer := (cmd->>'appId')::integer;
  c coupon;
  v_items jsonb := args->'items';
  v_total numeric;
  v_discount bigint := 0;
  v_price_info jsonb;
  posted jsonb;
BEGIN
  IF jsonb_typeof(v_items) = 'array' THEN
    v_price_info := ledger_price_items(v_items);
    IF v_price_info ? 'error' THEN
      RETURN v_price_info;
    END IF;
    v_total := (v_price_info->>'total')::numeric;
  ELSE
    v_total := (args->>'amount')::bigint;
  END IF;

  IF a.app_id IS NULL THEN
    RETURN ledger_refusal('NOT_FOUND', format('no account for app %s', v_app));
  END IF;

  IF args->>'couponId' IS NOT NULL THEN
    -- No row lock of its own: a coupon changes only in pay and rollback, and both run under this app's account
    -- row lock, which this command holds (ledger_lock_account); the row read here is the latest committed.
    SELECT * INTO c FROM coupon WHERE app_id = v_app AND id = (args->>'couponId')::bigint;
    IF NOT FOUND THEN
      RETURN ledger_refusal('NOT_FOUND', format('no coupon %s for app %s', args->>'couponId', v_app));
    ELSIF c.status = 'USED' THEN
      RETURN ledger_refusal('COUPON_UNAVAILABLE',
        format('coupon %s was already used (bill %s)', c.id, c.used_by_bill_id), '{"reason": "USED"}');
    ELSIF c.expires_at <= now() THEN
      RETURN ledger_refusal('COUPON_UNAVAILABLE',
        format('coupon %s expired at %s', c.id, to_char(c.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
        '{"reason": "EXPIRED"}');
    ELSIF v_total < c.min_spend THEN
      RETURN ledger_refusal('COUPON_UNAVAILABLE',
        format('coupon %s needs a pay of at least %s; this one is %s', c.id, c.min_spend, v_total),
        '{"reason": "MIN_SPEND"}');
    END IF;
    v_discount := least(c.discount, v_total);
    v_price_info := COALESCE(v_price_info, '{}'::jsonb)
                    || jsonb_build_object('total', v_total, 'couponId', c.id::text, 'discount', v_discount);
  END IF;

  posted := ledger_post(a, ledger_posting(cmd, channel => 'PAY', amount => -(v_total - v_discount)::bigint,
                                           info => args->>'info', price_info => v_price_info));
  IF posted ? 'error' THEN
    RETURN posted;
  END IF;
  IF c.id IS NOT NULL THEN
    UPDATE coupon SET status = 'USED', used_by_bill_id = (posted->'bill'->>'billId')::bigint
     WHERE app_id = v_app AND id = c.id
    RETURNING * INTO c;
    posted := posted || jsonb_build_object('coupon', ledger_coupon_json(c));
  END IF;
  RETURN posted;
END
$fn$;
