-- A bill row's rules, the one CHECK of table `bill` (constraint bill_valid, migration RowRulesInOneCheck):
--   channel one of RECHARGE, PAY, ROLLBACK, HOLD, CAPTURE, RELEASE, SETTLEMENT; status SUCCESS or FAILED;
--   a SUCCESS bill's arithmetic: old_balance + amount = new_balance.
-- One function instead of three CHECK expressions for the reason ledger_hold_valid.sql gives: every posting inserts
-- a bill. IMMUTABLE and reading nothing but its arguments, as a CHECK must be; a change to these rules is a new
-- migration that drops and adds the constraint (which validates the existing rows).
CREATE OR REPLACE FUNCTION ledger_bill_valid(p_channel text, p_status text, p_amount bigint, p_old_balance bigint,
                                             p_new_balance bigint)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN p_channel IN ('RECHARGE', 'PAY', 'ROLLBACK', 'HOLD', 'CAPTURE', 'RELEASE', 'SETTLEMENT')
     AND p_status IN ('SUCCESS', 'FAILED')
     AND (p_status <> 'SUCCESS' OR p_old_balance + p_amount = p_new_balance);
END
$fn$;
