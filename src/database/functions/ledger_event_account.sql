-- ACCOUNT_OPENED, ACCOUNT_FROZEN, ACCOUNT_UNFROZEN: { account }.
CREATE OR REPLACE FUNCTION ledger_event_account() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM ledger_emit_event(
    CASE WHEN TG_OP = 'INSERT' THEN 'ACCOUNT_OPENED' WHEN NEW.frozen THEN 'ACCOUNT_FROZEN' ELSE 'ACCOUNT_UNFROZEN' END,
    NEW.app_id, jsonb_build_object('account', ledger_account_json(NEW)));
  RETURN NULL;
END
$fn$;
