-- Waits (short, growing sleeps) while another owner's lease blocks the app, up to p_wait_ms after the
-- statement began (one deadline for every member of a batch), BEFORE the account row is locked, so a
-- waiting command holds no lock the lease holder could need. Whether it is free is decided afterwards,
-- under the row lock, by ledger_lock_account.
CREATE OR REPLACE FUNCTION ledger_await_lease(p_app_id integer, p_lease_token bigint, p_wait_ms integer) RETURNS void
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_deadline timestamptz := statement_timestamp() + make_interval(secs => COALESCE(p_wait_ms, 0) / 1000.0);
  v_nap double precision := 0.005;
BEGIN
  WHILE (ledger_lease_blocking(p_app_id, p_lease_token)).app_id IS NOT NULL AND clock_timestamp() < v_deadline LOOP
    PERFORM pg_sleep(least(v_nap, extract(epoch FROM v_deadline - clock_timestamp())));
    v_nap := least(v_nap * 2, 0.1);
  END LOOP;
END
$fn$;
