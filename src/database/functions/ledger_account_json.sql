-- An account as the API answers it (GraphQL field names).
CREATE OR REPLACE FUNCTION ledger_account_json(a account) RETURNS jsonb
LANGUAGE sql STABLE AS $fn$
  SELECT jsonb_build_object(
    'appId', a.app_id, 'balance', a.balance, 'held', a.held, 'available', a.balance - a.held,
    'frozen', a.frozen, 'freezeReason', a.freeze_reason, 'version', a.version,
    'createdAt', a.created_at, 'updatedAt', a.updated_at)
$fn$;
