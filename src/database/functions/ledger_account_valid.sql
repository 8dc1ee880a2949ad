-- An account row's rules, the one CHECK of table `account` (constraint account_valid, migration RowRulesInOneCheck):
--   app_id positive; balance within 0 .. 2^53-1 cents; held within 0 .. balance (so available is never negative).
-- One function instead of three CHECK expressions for the reason ledger_hold_valid.sql gives: PostgreSQL reads a
-- table's stored CHECK trees back and prepares them on every INSERT and UPDATE statement, and every posting updates
-- an account row. IMMUTABLE and reading nothing but its arguments, as a CHECK must be. PostgreSQL does not re-check
-- existing rows when a function changes: a change to these rules is a new migration that drops and adds the
-- constraint (which validates them).
CREATE OR REPLACE FUNCTION ledger_account_valid(p_app_id integer, p_balance bigint, p_held bigint)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN p_app_id > 0
     AND p_balance >= 0 AND p_balance <= 9007199254740991
     AND p_held >= 0 AND p_held <= p_balance;
END
$fn$;
