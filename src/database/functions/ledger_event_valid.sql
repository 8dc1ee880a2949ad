-- A ledger event row's rule, the one CHECK of table `ledger_event` (constraint ledger_event_valid, migration
-- RowRulesInOneCheck): its type is one of the event types of docs/events.md.
-- A function instead of the eight-value CHECK expression for the reason ledger_hold_valid.sql gives: every posting
-- inserts an event (unless events are off). IMMUTABLE and reading nothing but its argument, as a CHECK must be; a new
-- event type is a new migration that drops and adds the constraint (which validates the existing rows).
CREATE OR REPLACE FUNCTION ledger_event_valid(p_type text)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN p_type IN ('BILL_RECORDED', 'ACCOUNT_OPENED', 'ACCOUNT_FROZEN', 'ACCOUNT_UNFROZEN', 'COUPON_ISSUED',
                    'BALANCE_LOW', 'STATEMENT_READY', 'RECONCILIATION_COMPLETED');
END
$fn$;
