-- A hold row's rules, the one CHECK of table `hold` (constraint hold_valid, migration HoldRulesInOneCheck):
--   amount within 1 .. 2^53-1 cents; status one of OPEN, CAPTURED, RELEASED, EXPIRED; captured within 0 .. amount,
--   and 0 unless CAPTURED; ended_at set exactly when the hold has ended (not OPEN).
-- One function instead of five CHECK expressions because PostgreSQL reads a table's stored CHECK trees back and
-- prepares them on every INSERT and UPDATE statement (ExecRelCheck), at a cost that follows their size: this call's
-- tree is a sixth of the five's, and plpgsql compiles the body once per session. Measured on a placement and a
-- capture (a release and an expiry update the row the same way): about 11 µs less of PostgreSQL's CPU each
-- (docs/benchmark.md).
-- IMMUTABLE and reading nothing but its arguments, as a CHECK must be. PostgreSQL does not re-check existing rows when
-- a function changes: a change to these rules is a new migration that drops and adds hold_valid (which validates them).
CREATE OR REPLACE FUNCTION ledger_hold_valid(p_status text, p_amount bigint, p_captured bigint, p_ended_at timestamptz)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN p_amount > 0 AND p_amount <= 9007199254740991
     AND p_status IN ('OPEN', 'CAPTURED', 'RELEASED', 'EXPIRED')
     AND p_captured >= 0 AND p_captured <= p_amount
     AND (p_status = 'CAPTURED' OR p_captured = 0)
     AND (p_status = 'OPEN') = (p_ended_at IS NULL);
END
$fn$;
