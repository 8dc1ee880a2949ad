-- Ends a locked, OPEN hold past its deadline as EXPIRED with its RELEASE bill (orderNo expire/<id>, the
-- system's act whoever performs it: the expiry job or a late capture/release). Answers the new account.
CREATE OR REPLACE FUNCTION ledger_expire_hold(a account, h hold) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  posted jsonb;
BEGIN
  posted := ledger_post(a, ledger_posting(
    jsonb_build_object('appId', h.app_id, 'orderNo', 'expire/' || h.id, 'user', 'system:hold-expiry'),
    channel => 'RELEASE', amount => 0, held_delta => -h.amount, bill_id => h.bill_id, info => 'expired',
    price_info => jsonb_build_object('hold', jsonb_build_object('id', h.id::text, 'amount', h.amount)),
    refuse_if_frozen => false, answer_bill => false));
  IF posted ? 'error' THEN
    RAISE EXCEPTION 'hold % of app % could not be released: %', h.id, h.app_id, posted;
  END IF;
  UPDATE hold SET status = 'EXPIRED', captured = 0, ended_at = clock_timestamp()
   WHERE app_id = h.app_id AND id = h.id;
  RETURN posted->'account';
END
$fn$;
