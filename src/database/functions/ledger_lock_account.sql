-- Locks the app's account row (every money command takes it first, before it looks its key up under the lock, so
-- it is the app's one lock, and a batch takes them in app_id order) and applies the lease rule (ledger_lease_blocking) under
-- that lock: a blocking lease answers `wait`, a message; the command then writes nothing, and the caller
-- retries within APPLOCK_WAIT_MS. p_lease_token: the caller's own lease (settlement), which never blocks it.
-- `a` is a row of NULLs when the app has no account.
CREATE OR REPLACE FUNCTION ledger_lock_account(p_app_id integer, p_lease_token bigint, OUT a account, OUT wait text)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  l app_lock;
BEGIN
  SELECT * INTO a FROM account WHERE app_id = p_app_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  l := ledger_lease_blocking(p_app_id, p_lease_token);
  IF l.app_id IS NOT NULL THEN
    wait := format('app %s is leased by %s until %s; retry later', p_app_id, l.owner,
                   to_char(l.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
  END IF;
END
$fn$;
