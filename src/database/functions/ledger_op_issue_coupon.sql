-- issueCoupon: grants one coupon of a template. No check-then-insert: each limit is one conditional write
-- whose WHERE is the rule, so row locks serialise concurrent issuers and re-check it on the latest row.
--  1. the per-app limit: a counter row per (app_id, template_code), upserted with a conditional increment
--     (an app may be granted a coupon before it has an account, so its account row is not locked);
--  2. the stock: a conditional increment of coupon_template.issued, second so that the hot template row is
--     locked as briefly as possible, and always in this order;
--  3. the coupon, with the template's terms copied (its (app_id, order_no) key taken by a concurrent duplicate:
--     LG002, see ledger_run).
-- A refusal is stored (and commits): when the stock refuses after the quota was raised, the quota is
-- lowered again under its row lock, so a refusal changes nothing. It moves no money: `a` is not locked (NULL),
-- and an app may be granted a coupon before it has an account. args: {templateCode}
CREATE OR REPLACE FUNCTION ledger_op_issue_coupon(cmd jsonb, a account) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_app integer := (cmd->>'appId')::integer;
  t coupon_template;
  c coupon;
BEGIN
  IF EXISTS (SELECT 1 FROM coupon WHERE app_id = v_app AND order_no = cmd->>'orderNo') THEN
    -- The dedupe row was purged but this orderNo already granted a coupon.
    RETURN ledger_rejection('IDEMPOTENCY_KEY_REUSED', 'this orderNo already issued a coupon');
  END IF;
  SELECT * INTO t FROM coupon_template WHERE code = cmd->'args'->>'templateCode';
  IF NOT FOUND THEN
    RETURN ledger_refusal('NOT_FOUND', format('no coupon template %s', cmd->'args'->>'templateCode'));
  END IF;
  INSERT INTO coupon_quota AS q (app_id, template_code, issued) VALUES (v_app, t.code, 1)
  ON CONFLICT (app_id, template_code) DO UPDATE SET issued = q.issued + 1 WHERE q.issued < t.per_app_limit;
  IF NOT FOUND THEN
    RETURN ledger_refusal('COUPON_UNAVAILABLE',
      format('app %s already received %s coupon(s) of template %s, its per-app limit', v_app, t.per_app_limit, t.code),
      '{"reason": "PER_APP_LIMIT"}');
  END IF;
  UPDATE coupon_template SET issued = issued + 1 WHERE code = t.code AND (stock IS NULL OR issued < stock);
  IF NOT FOUND THEN
    UPDATE coupon_quota SET issued = issued - 1 WHERE app_id = v_app AND template_code = t.code;
    RETURN ledger_refusal('COUPON_UNAVAILABLE',
      format('coupon template %s is out of stock (%s issued)', t.code, t.stock), '{"reason": "OUT_OF_STOCK"}');
  END IF;
  INSERT INTO coupon (app_id, template_code, discount, min_spend, status, order_no, expires_at)
  VALUES (v_app, t.code, t.discount, t.min_spend, 'ISSUED', cmd->>'orderNo', now() + make_interval(days => t.valid_days))
  ON CONFLICT ON CONSTRAINT coupon_order DO NOTHING
  RETURNING * INTO c;
  IF NOT FOUND THEN
    -- A request with this orderNo granted its coupon while this one ran (no account row serialises them): this
    -- statement is undone, and run again it replays that request's answer (ledger_run's key, LG002).
    RAISE EXCEPTION 'coupon order % taken meanwhile', cmd->>'orderNo' USING ERRCODE = 'LG002';
  END IF;
  RETURN jsonb_build_object('coupon', ledger_coupon_json(c));
END
$fn$;
