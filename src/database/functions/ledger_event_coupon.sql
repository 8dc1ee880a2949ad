-- COUPON_ISSUED: { coupon } as the GraphQL type Coupon.
CREATE OR REPLACE FUNCTION ledger_event_coupon() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM ledger_emit_event('COUPON_ISSUED', NEW.app_id, jsonb_build_object('coupon', jsonb_build_object(
    'id', NEW.id::text, 'appId', NEW.app_id, 'templateCode', NEW.template_code, 'discount', NEW.discount,
    'minSpend', NEW.min_spend, 'status', NEW.status, 'orderNo', NEW.order_no,
    'expiresAt', ledger_json_time(NEW.expires_at), 'usedByBillId', NEW.used_by_bill_id,
    'createdAt', ledger_json_time(NEW.created_at))));
  RETURN NULL;
END
$fn$;
