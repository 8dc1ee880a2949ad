-- THE posting rule, decided once, on the account row the caller has locked (ledger_lock_account):
--   the balance stays within 2^53-1 cents (else INVALID_ARGUMENT, not stored);
--   the order has no bill of this channel yet (else IDEMPOTENCY_KEY_REUSED, not stored: its key was purged);
--   a spending posting (refuseIfFrozen) is refused on a frozen account (ACCOUNT_FROZEN, retCode 4);
--   available (balance - held) never goes negative, nor held (INSUFFICIENT_BALANCE, retCode 3).
-- Allowed: the account changes and its SUCCESS bill is written; answers {bill, account} (the bill as the API
-- answers it), or {billId, account} for a posting whose command's answer shows no bill (answerBill false: a hold,
-- a release), so that its JSON is not built for nothing.
-- Events (docs/events.md), written here because every bill and every balance change goes through here (the
-- one write path), in the posting's own statement, unless the connection set ledger.events = off:
--   BALANCE_LOW {appId, available, below, billId} when the posting takes available from at least the app's
--   alert (balance_alert.below) to under it; then BILL_RECORDED {bill, account} for every bill, SUCCESS or
--   FAILED, stored as {account} plus the bill's row id (bill_row): the bill is written once, in the bill table,
--   and ledger_event_data puts it back when the event is read.
-- Refused (stored): a FAILED bill (old = new balance) is written and the stored refusal carries its billId and the
-- available balance. p: the posting record {appId, orderNo, user, srcIp, channel, amount, heldDelta, billId,
-- info, priceInfo, refuseIfFrozen, answerBill, answerPriceInfo}, built by ledger_posting.
CREATE OR REPLACE FUNCTION ledger_post(a account, p jsonb) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_amount bigint := (p->>'amount')::bigint;
  v_held bigint := COALESCE((p->>'heldDelta')::bigint, 0);
  v_events boolean := current_setting('ledger.events', true) IS DISTINCT FROM 'off';
  v_bill_id bigint;
  v_available bigint;
  v_below bigint;
  v_code text;
  v_message text;
  v_ret integer;
  v_account jsonb;
  b bill;
BEGIN
  IF a.balance + v_amount > 9007199254740991 THEN
    RETURN ledger_rejection('INVALID_ARGUMENT', 'input.amount: the balance would exceed 2^53-1 cents', 'input.amount');
  END IF;
  IF EXISTS (SELECT 1 FROM bill WHERE app_id = a.app_id AND order_no = p->>'orderNo' AND channel = p->>'channel') THEN
    -- The dedupe row is gone (purged) but the ledger still has this order.
    RETURN ledger_rejection('IDEMPOTENCY_KEY_REUSED', 'this orderNo is already recorded in the ledger');
  END IF;
  IF COALESCE((p->>'refuseIfFrozen')::boolean, true) AND a.frozen THEN
    v_code := 'ACCOUNT_FROZEN';
    v_ret := 4;
    v_message := trim(format('account %s is frozen: %s', a.app_id, COALESCE(a.freeze_reason, '')));
  ELSIF a.balance + v_amount < a.held + v_held OR a.held + v_held < 0 THEN
    v_code := 'INSUFFICIENT_BALANCE';
    v_ret := 3;
    v_message := format('available balance %s is below %s', a.balance - a.held, v_held - v_amount);
  END IF;

  v_bill_id := COALESCE((p->>'billId')::bigint, nextval('serial_seq'));
  IF v_code IS NULL THEN
    v_available := a.balance - a.held;
    UPDATE account
       SET balance = balance + v_amount, held = held + v_held, version = version + 1, updated_at = now()
     WHERE app_id = a.app_id
    RETURNING * INTO a;
    IF v_events AND a.balance - a.held < v_available THEN
      -- available went down: did it cross the app's alert (once per crossing)?
      SELECT below INTO v_below FROM balance_alert WHERE app_id = a.app_id;
      IF v_available >= v_below AND a.balance - a.held < v_below THEN
        INSERT INTO ledger_event (type, app_id, data)
        VALUES ('BALANCE_LOW', a.app_id, jsonb_build_object(
                'appId', a.app_id, 'available', a.balance - a.held, 'below', v_below, 'billId', v_bill_id));
      END IF;
    END IF;
  END IF;
  INSERT INTO bill (bill_id, app_id, order_no, channel, amount, old_balance, new_balance,
                    status, ret_code, info, bill_user, price_info, src_ip)
  VALUES (v_bill_id, a.app_id, p->>'orderNo', p->>'channel', v_amount,
          CASE WHEN v_code IS NULL THEN a.balance - v_amount ELSE a.balance END, a.balance,
          CASE WHEN v_code IS NULL THEN 'SUCCESS' ELSE 'FAILED' END, COALESCE(v_ret, 0),
          p->>'info', p->>'user', NULLIF(p->'priceInfo', 'null'::jsonb), p->>'srcIp')
  RETURNING * INTO b;
  v_account := ledger_account_json(a);
  IF v_events THEN
    -- The bill itself is not copied into the event: the event names its row (bill_row), and readers get
    -- {bill, account} from ledger_event_data (a bill never changes once written).
    INSERT INTO ledger_event (type, app_id, data, bill_row)
    VALUES ('BILL_RECORDED', a.app_id, jsonb_build_object('account', v_account), b.id);
  END IF;
  IF v_code IS NULL THEN
    -- The bill's JSON only for a success's answer that shows it: a refusal's answer names its billId, and the
    -- event its row.
    IF (p->>'answerBill')::boolean THEN
      IF NOT (p->>'answerPriceInfo')::boolean THEN
        -- Not selected by the request: the answer's bill goes without it (a replay renders the whole bill).
        b.price_info := NULL;
      END IF;
      RETURN jsonb_build_object('bill', ledger_bill_json(b), 'account', v_account);
    END IF;
    RETURN jsonb_build_object('billId', b.bill_id, 'account', v_account);
  END IF;
  RETURN ledger_refusal(v_code, v_message,
                        jsonb_build_object('billId', b.bill_id, 'available', a.balance - a.held));
END
$fn$;
