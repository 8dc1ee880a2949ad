-- THE posting record, built here only: what ledger_post books, as one value. The command's key and origin
-- ({appId, orderNo, user, srcIp} of cmd, the command record or the system's own: ledger_expire_hold) with the
-- posting's own fields, given by name: ledger_posting(cmd, channel => 'PAY', amount => -150, ...).
-- answer_bill: whether the command's answer shows the posting's bill (ledger_post renders it then);
-- answerPriceInfo, from the command (absent: true), whether that bill is rendered with its priceInfo (the request
-- selected it).
-- A plain SQL expression (STABLE, as jsonb_build_object is), so PostgreSQL inlines it into its caller; it copies
-- only the four fields it takes from the command, not the command's args.
CREATE OR REPLACE FUNCTION ledger_posting(cmd jsonb, channel text, amount bigint, held_delta bigint DEFAULT 0,
                                          bill_id bigint DEFAULT NULL, info text DEFAULT NULL,
                                          price_info jsonb DEFAULT NULL, refuse_if_frozen boolean DEFAULT true,
                                          answer_bill boolean DEFAULT true)
RETURNS jsonb
LANGUAGE sql STABLE AS $fn$
  SELECT jsonb_build_object(
    'appId', cmd->'appId', 'orderNo', cmd->'orderNo', 'user', cmd->'user', 'srcIp', cmd->'srcIp',
    'channel', channel, 'amount', amount, 'heldDelta', held_delta, 'billId', bill_id, 'info', info,
    'priceInfo', price_info, 'refuseIfFrozen', refuse_if_frozen, 'answerBill', answer_bill,
    'answerPriceInfo', COALESCE((cmd->>'answerPriceInfo')::boolean, true))
$fn$;
