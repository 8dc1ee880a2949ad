-- A coupon as the API answers it (GraphQL field names); an ISSUED coupon past expiresAt shows as EXPIRED
-- (the same rule as COUPON_STATE_SQL in coupon.model.ts, with the same clock: now()).
CREATE OR REPLACE FUNCTION ledger_coupon_json(c coupon) RETURNS jsonb
LANGUAGE sql STABLE AS $fn$
  SELECT jsonb_build_object(
    'id', c.id::text, 'appId', c.app_id, 'templateCode', c.template_code, 'discount', c.discount,
    'minSpend', c.min_spend,
    'status', CASE WHEN c.status = 'USED' THEN 'USED' WHEN c.expires_at <= now() THEN 'EXPIRED' ELSE 'ISSUED' END,
    'orderNo', c.order_no, 'expiresAt', c.expires_at, 'usedByBillId', c.used_by_bill_id, 'createdAt', c.created_at)
$fn$;
