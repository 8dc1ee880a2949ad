-- THE AppLock lease rule, its only copy: the lease that blocks a money command on p_app_id right now, if any
-- (a row of NULLs when none): another owner's (its token is not the caller's), not yet expired. "Now" is
-- clock_timestamp(), the time of the check (not the transaction's start), so a lease that expires or is
-- released while a command waits is seen as free at once. A lease past expires_at is free (the seed's
-- stale-lock repair).
CREATE OR REPLACE FUNCTION ledger_lease_blocking(p_app_id integer, p_lease_token bigint) RETURNS app_lock
LANGUAGE sql VOLATILE AS $fn$
  SELECT * FROM app_lock
   WHERE app_id = p_app_id AND owner IS NOT NULL AND expires_at > clock_timestamp()
     AND token IS DISTINCT FROM p_lease_token
$fn$;
