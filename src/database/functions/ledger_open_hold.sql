-- The app's open hold, read under its account's row lock (taken by ledger_lock_account; the hold takes no row lock
-- of its own), or a refusal: NOT_FOUND, or HOLD_NOT_OPEN (with holdStatus) when it has ended. A hold past its
-- deadline (compared with clock_timestamp() once the account's lock is ours) is expired here and now, committed
-- with the stored HOLD_NOT_OPEN answer. No FAILED bill is written for HOLD_NOT_OPEN: the hold's bills already say
-- how it ended.
CREATE OR REPLACE FUNCTION ledger_open_hold(a account, p_app_id integer, p_hold_id text, OUT h hold, OUT refusal jsonb)
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  IF a.app_id IS NOT NULL AND p_hold_id ~ '^[0-9]{1,18}$' THEN
    -- A hold changes only in capture, release and expiry, all under this account row lock: the latest committed row.
    SELECT * INTO h FROM hold WHERE app_id = p_app_id AND id = p_hold_id::bigint;
  END IF;
  IF h.id IS NULL THEN
    refusal := ledger_refusal('NOT_FOUND', format('no hold %s for app %s', p_hold_id, p_app_id));
    RETURN;
  END IF;
  IF h.status = 'OPEN' AND h.expires_at <= clock_timestamp() THEN
    PERFORM ledger_expire_hold(a, h);
    h.status := 'EXPIRED';
  END IF;
  IF h.status <> 'OPEN' THEN
    refusal := ledger_refusal('HOLD_NOT_OPEN', format('hold %s is %s', p_hold_id, h.status),
                              jsonb_build_object('holdStatus', h.status));
  END IF;
END
$fn$;
