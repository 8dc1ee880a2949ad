-- RETIRED: dropped by migration 1763900001100-EventsInPosting (ledger_post writes this event itself now). Kept
-- only because migration 1763900001000-Events, which a fresh database still runs, installs it.
-- BILL_RECORDED: { bill, account } (ledger_bill_json and ledger_account_json: the API's shapes). An AFTER
-- ROW trigger runs at the end of the statement, so the account read here already holds the posting's update.
CREATE OR REPLACE FUNCTION ledger_event_bill() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO ledger_event (type, app_id, data)
  SELECT 'BILL_RECORDED', NEW.app_id,
         jsonb_build_object('bill', ledger_bill_json(NEW), 'account', ledger_account_json(a))
    FROM account a WHERE a.app_id = NEW.app_id;
  -- A BALANCE_LOW written by this posting's account update (just before its bill) learns its bill here.
  IF COALESCE(current_setting('ledger.balance_low_event', true), '') <> '' THEN
    UPDATE ledger_event SET data = jsonb_set(data, '{billId}', to_jsonb(NEW.bill_id))
     WHERE id = current_setting('ledger.balance_low_event')::bigint AND app_id = NEW.app_id;
    PERFORM set_config('ledger.balance_low_event', '', true);
  END IF;
  RETURN NULL;
END
$fn$;
