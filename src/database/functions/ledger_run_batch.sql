-- Several commands in ONE statement and one commit (CommandBatcher): each runs ledger_run and gets its own
-- answer (a refusal, a rejection or a lease wait concerns that member alone: a rejected or waiting member
-- writes nothing), in app_id order (stable within an app), so that batches spanning
-- accounts take the account row locks in one order and cannot deadlock each other. Answers come back in the
-- members' order. An error no member can answer (a row busy past lock_timeout, a deadlock, a key taken meanwhile) aborts the
-- batch; the caller then sends each member alone.
CREATE OR REPLACE FUNCTION ledger_run_batch(cmds jsonb) RETURNS json
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  m record;
  v_answers json[] := '{}';
BEGIN
  FOR m IN SELECT e.cmd, e.ord FROM jsonb_array_elements(cmds) WITH ORDINALITY AS e(cmd, ord)
            ORDER BY (e.cmd->>'appId')::integer, e.ord LOOP
    v_answers[m.ord] := ledger_run(m.cmd);
  END LOOP;
  -- json, as ledger_run answers: the members' answers are joined as they are, not copied into a new value.
  RETURN array_to_json(v_answers);
END
$fn$;
