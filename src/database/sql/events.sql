-- The event outbox (docs/events.md). Loaded by migration 1763900001000-Events:
-- a change to a body here is a new migration that loads this file again
-- (every definition is CREATE OR REPLACE).
--
-- Events are written by triggers on the tables that hold the facts, so an event
-- is part of the very statement that writes its fact, on every write path
-- (LedgerService, ledger_post_once / ledger_post_batch, settlement, holds,
-- coupons, freeze): it commits or rolls back with it, and a replayed mutation,
-- which writes no row, writes no event. Triggers are skipped on a connection
-- started with `-c ledger.events=off` (EVENTS=off, the benchmark's control).
--
-- An event is inserted with seq NULL; the sequencer (src/event/event-sequencer.ts)
-- gives committed events their seq afterwards, one instance at a time, so that
-- the feed becomes visible in seq order (gap-free paging).

-- Timestamps as the GraphQL DateTime scalar writes them (UTC, milliseconds).
CREATE OR REPLACE FUNCTION ledger_json_time(t timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- An Account as the GraphQL type Account.
CREATE OR REPLACE FUNCTION ledger_account_json(a account) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'appId', a.app_id, 'balance', a.balance, 'held', a.held, 'available', a.balance - a.held,
    'frozen', a.frozen, 'freezeReason', a.freeze_reason, 'version', a.version,
    'createdAt', ledger_json_time(a.created_at), 'updatedAt', ledger_json_time(a.updated_at))
$$;

-- A Bill as the GraphQL type Bill.
CREATE OR REPLACE FUNCTION ledger_bill_json(b bill) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', b.id::text, 'billId', b.bill_id, 'appId', b.app_id, 'orderNo', b.order_no, 'channel', b.channel,
    'amount', b.amount, 'oldBalance', b.old_balance, 'newBalance', b.new_balance, 'status', b.status,
    'retCode', b.ret_code, 'info', b.info, 'user', b.bill_user, 'priceInfo', b.price_info, 'srcIp', b.src_ip,
    'createdAt', ledger_json_time(b.created_at))
$$;

-- The one way an event is written (triggers and the reconciliation call it).
CREATE OR REPLACE FUNCTION ledger_emit_event(p_type text, p_app_id integer, p_data jsonb) RETURNS void
LANGUAGE sql VOLATILE AS $$
  INSERT INTO ledger_event (type, app_id, data) VALUES (p_type, p_app_id, p_data)
$$;

-- BILL_RECORDED: { bill, account }. An AFTER ROW trigger runs at the end of the
-- statement, so the account read here already holds that statement's update.
CREATE OR REPLACE FUNCTION ledger_event_bill() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ledger_event (type, app_id, data)
  SELECT 'BILL_RECORDED', NEW.app_id,
         jsonb_build_object('bill', ledger_bill_json(NEW), 'account', ledger_account_json(a))
    FROM account a WHERE a.app_id = NEW.app_id;
  RETURN NULL;
END
$$;

-- ACCOUNT_OPENED, ACCOUNT_FROZEN, ACCOUNT_UNFROZEN: { account }.
CREATE OR REPLACE FUNCTION ledger_event_account() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ledger_emit_event(
    CASE WHEN TG_OP = 'INSERT' THEN 'ACCOUNT_OPENED' WHEN NEW.frozen THEN 'ACCOUNT_FROZEN' ELSE 'ACCOUNT_UNFROZEN' END,
    NEW.app_id, jsonb_build_object('account', ledger_account_json(NEW)));
  RETURN NULL;
END
$$;

-- BALANCE_LOW: { appId, available, below, billId } when an update takes available
-- from at least the alert's `below` to under it (once per crossing). The trigger
-- only runs when available went down (its WHEN clause). billId: the bill the
-- statement wrote for this app (the posting writes it in the same statement;
-- at the end of the statement it is visible), null if none.
CREATE OR REPLACE FUNCTION ledger_event_balance_low() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  threshold bigint;
BEGIN
  SELECT below INTO threshold FROM balance_alert WHERE app_id = NEW.app_id;
  IF threshold IS NULL OR OLD.balance - OLD.held < threshold OR NEW.balance - NEW.held >= threshold THEN
    RETURN NULL;
  END IF;
  PERFORM ledger_emit_event('BALANCE_LOW', NEW.app_id, jsonb_build_object(
    'appId', NEW.app_id, 'available', NEW.balance - NEW.held, 'below', threshold,
    'billId', (SELECT b.bill_id FROM bill b WHERE b.app_id = NEW.app_id AND b.xmin = pg_current_xact_id()::xid
                ORDER BY b.id DESC LIMIT 1)));
  RETURN NULL;
END
$$;

-- COUPON_ISSUED: { coupon } as the GraphQL type Coupon.
CREATE OR REPLACE FUNCTION ledger_event_coupon() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ledger_emit_event('COUPON_ISSUED', NEW.app_id, jsonb_build_object('coupon', jsonb_build_object(
    'id', NEW.id::text, 'appId', NEW.app_id, 'templateCode', NEW.template_code, 'discount', NEW.discount,
    'minSpend', NEW.min_spend, 'status', NEW.status, 'orderNo', NEW.order_no,
    'expiresAt', ledger_json_time(NEW.expires_at), 'usedByBillId', NEW.used_by_bill_id,
    'createdAt', ledger_json_time(NEW.created_at))));
  RETURN NULL;
END
$$;

-- STATEMENT_READY: { statement } as the GraphQL type Statement. A deferred
-- constraint trigger: it runs at commit and reads the row as settlement left it
-- (the charge and arrears are filled in after the insert).
CREATE OR REPLACE FUNCTION ledger_event_statement() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ledger_emit_event('STATEMENT_READY', s.app_id, jsonb_build_object('statement', jsonb_build_object(
    'appId', s.app_id, 'month', s.month, 'openingBalance', s.opening_balance, 'credits', s.credits,
    'debits', s.debits, 'closingBalance', s.closing_balance, 'billCount', s.bill_count,
    'recurringCharge', s.recurring_charge, 'arrears', s.arrears, 'verified', s.verified,
    'settlementBillId', s.settlement_bill_id, 'createdAt', ledger_json_time(s.created_at))))
    FROM statement s WHERE s.app_id = NEW.app_id AND s.month = NEW.month;
  RETURN NULL;
END
$$;
