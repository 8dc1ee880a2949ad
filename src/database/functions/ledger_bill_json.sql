-- A bill as the API answers it (GraphQL field names): what a mutation stores and replays.
CREATE OR REPLACE FUNCTION ledger_bill_json(b bill) RETURNS jsonb
LANGUAGE sql STABLE AS $fn$
  SELECT jsonb_build_object(
    'id', b.id::text, 'billId', b.bill_id, 'appId', b.app_id, 'orderNo', b.order_no, 'channel', b.channel,
    'amount', b.amount, 'oldBalance', b.old_balance, 'newBalance', b.new_balance, 'status', b.status,
    'retCode', b.ret_code, 'info', b.info, 'user', b.bill_user, 'priceInfo', b.price_info, 'srcIp', b.src_ip,
    'createdAt', to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
$fn$;
