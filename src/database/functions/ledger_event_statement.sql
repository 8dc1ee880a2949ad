-- STATEMENT_READY: { statement } as the GraphQL type Statement. A deferred
-- constraint trigger: it runs at commit and reads the row as settlement left it
-- (the charge and arrears are filled in after the insert).
CREATE OR REPLACE FUNCTION ledger_event_statement() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM ledger_emit_event('STATEMENT_READY', s.app_id, jsonb_build_object('statement', jsonb_build_object(
    'appId', s.app_id, 'month', s.month, 'openingBalance', s.opening_balance, 'credits', s.credits,
    'debits', s.debits, 'closingBalance', s.closing_balance, 'billCount', s.bill_count,
    'recurringCharge', s.recurring_charge, 'arrears', s.arrears, 'verified', s.verified,
    'settlementBillId', s.settlement_bill_id, 'createdAt', ledger_json_time(s.created_at))))
    FROM statement s WHERE s.app_id = NEW.app_id AND s.month = NEW.month;
  RETURN NULL;
END
$fn$;
