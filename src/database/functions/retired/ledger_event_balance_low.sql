-- RETIRED: dropped by migration 1763900001100-EventsInPosting (ledger_post writes this event itself now). Kept
-- only because migration 1763900001000-Events, which a fresh database still runs, installs it.
-- BALANCE_LOW: { appId, available, below, billId } when an update takes available
-- from at least the alert's `below` to under it (once per crossing). The trigger
-- only runs when available went down (its WHEN clause). billId: a posting updates
-- the account, then writes its bill (ledger_post); the event is written here with
-- billId null and its id kept in a transaction-local setting, and the bill's own
-- trigger (ledger_event_bill) fills billId in (null if the update wrote no bill).
CREATE OR REPLACE FUNCTION ledger_event_balance_low() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  threshold bigint;
  event_id bigint;
BEGIN
  SELECT below INTO threshold FROM balance_alert WHERE app_id = NEW.app_id;
  IF threshold IS NULL OR OLD.balance - OLD.held < threshold OR NEW.balance - NEW.held >= threshold THEN
    RETURN NULL;
  END IF;
  INSERT INTO ledger_event (type, app_id, data)
  VALUES ('BALANCE_LOW', NEW.app_id, jsonb_build_object(
    'appId', NEW.app_id, 'available', NEW.balance - NEW.held, 'below', threshold, 'billId', NULL))
  RETURNING id INTO event_id;
  PERFORM set_config('ledger.balance_low_event', event_id::text, true);
  RETURN NULL;
END
$fn$;
