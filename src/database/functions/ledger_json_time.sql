-- Timestamps as the GraphQL DateTime scalar writes them (UTC, milliseconds).
CREATE OR REPLACE FUNCTION ledger_json_time(t timestamptz) RETURNS text
LANGUAGE sql STABLE AS $fn$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$fn$;
