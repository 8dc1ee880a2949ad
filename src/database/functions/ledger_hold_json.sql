-- A hold as the API answers it (GraphQL field names).
CREATE OR REPLACE FUNCTION ledger_hold_json(h hold) RETURNS jsonb
LANGUAGE sql STABLE AS $fn$
  SELECT jsonb_build_object(
    'id', h.id::text, 'appId', h.app_id, 'orderNo', h.order_no, 'billId', h.bill_id, 'amount', h.amount,
    'captured', h.captured, 'status', h.status, 'expiresAt', h.expires_at, 'createdAt', h.created_at,
    'endedAt', h.ended_at)
$fn$;
