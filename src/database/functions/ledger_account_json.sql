-- An account as the API answers it (GraphQL field names).
CREATE OR REPLACE FUNCTION ledger_account_json(a account) RETURNS jsonb
LANGUAGE sql STABLE AS $fn$
  SELECT jsonb_build_object(
    'appId', a.app_id, 'balance', a.balance, 'held', a.held, 'available', a.balance - a.held,
    'frozen', a.frozen, 'freezeReason', a.freeze_reason, 'version', a.version,
    'createdAt', to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'updatedAt', to_char(a.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
$fn$;
