-- A coupon row's rules, the one CHECK of table `coupon` (constraint coupon_valid, migration RowRulesInOneCheck):
--   discount positive; min_spend not negative; status ISSUED or USED; used_by_bill_id set exactly when USED.
-- One function instead of four CHECK expressions for the reason ledger_hold_valid.sql gives: a pay with a coupon and
-- the rollback of one update the coupon row. IMMUTABLE and reading nothing but its arguments, as a CHECK must be; a
-- change to these rules is a new migration that drops and adds the constraint (which validates the existing rows).
CREATE OR REPLACE FUNCTION ledger_coupon_valid(p_status text, p_discount bigint, p_min_spend bigint,
                                               p_used_by_bill_id bigint)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN p_discount > 0
     AND p_min_spend >= 0
     AND p_status IN ('ISSUED', 'USED')
     AND (p_status = 'USED') = (p_used_by_bill_id IS NOT NULL);
END
$fn$;
