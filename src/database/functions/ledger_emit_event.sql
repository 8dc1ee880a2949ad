-- The one way an event is written (triggers and the reconciliation call it).
CREATE OR REPLACE FUNCTION ledger_emit_event(p_type text, p_app_id integer, p_data jsonb) RETURNS void
LANGUAGE sql VOLATILE AS $fn$
  INSERT INTO ledger_event (type, app_id, data) VALUES (p_type, p_app_id, p_data)
$fn$;
