-- The one write path: a whole command in ONE statement and one transaction.
-- cmd: the command record {op, appId, orderNo, fingerprint, user, srcIp, leaseToken, leaseWaitMs, args} (built by
-- command() in src/common/idempotency/command.ts). In order:
--  1. with a fingerprint (every API mutation), the key (appId, orderNo) is looked up (ledger_key_answer): a
--     replay answers the stored answer and writes nothing (IDEMPOTENCY_KEY_REUSED for another input);
--  2. a money command waits (up to cmd.leaseWaitMs) while another owner's AppLock lease blocks it, then locks
--     its account row and applies the lease rule (ledger_lock_account): still leased, it answers {wait} with
--     nothing written;
--  3. a money command looks its key up again, under the account row lock: a duplicate that committed while this
--     one waited for the row (bounded by lock_timeout: SQLSTATE 55P03, REQUEST_IN_PROGRESS) is visible now, and
--     replays;
--  4. the operation (ledger_op_<op>) decides, writes its SUCCESS or FAILED bill and its deliveries, and gives
--     back its data (the GraphQL answer's fields: bill, account, coupon, hold…) or an error answer;
--  5. the answer is stored (the key's one row, written once: no claim row to update or remove) and returned.
--     A bill in the answer (data.bill) is not stored twice: the key row names the bill's row (bill_row) and
--     keeps the rest of the answer; ledger_stored_answer puts the bill back, from the bill table, on a replay.
--     The key's unique index is the backstop: a duplicate that was not visible at step 3 makes the insert find
--     the key taken, and the statement is undone (LG002) and run again, and replays. Only issueCoupon takes no
--     account row; its own coupon key (app_id, order_no) stops it earlier, the same way.
-- Internal jobs' commands (no fingerprint) skip 1, 3 and 5: their own tables make them idempotent.
-- Answers, one shape, stored as they are (jsonb) and returned as json (below):
--   {data}                              the GraphQL answer (the API's field names);
--   {error: {code, message, details}}   a stored business refusal (SPEC §7);
--   + "replayed": true                  the stored answer of an earlier request;
--   {error, stored: false}              bad input or a reused key: nothing is written, the key stays free;
--   {wait: message}                     another owner's AppLock lease: nothing was written.
-- No subtransaction: what a command writes belongs to the statement's (or the batch's) transaction.
-- Returned as json, not jsonb: the answer {data} is put together once, as text, around the op's data (and
-- ledger_run_batch joins its members' answers as they are); every jsonb value built around another copies it
-- whole, and the bill with its priceInfo was copied into {data}, into the batch's array and into text.
CREATE OR REPLACE FUNCTION ledger_run(cmd jsonb) RETURNS json
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_app integer := (cmd->>'appId')::integer;
  v_order text := cmd->>'orderNo';
  v_fp text := cmd->>'fingerprint';
  v_op text := cmd->>'op';
  locked record;
  a account;
  v_written integer;
  v_answer jsonb;
  v_bill_row bigint;
  v_refused boolean;
BEGIN
  IF v_fp IS NOT NULL THEN
    v_answer := ledger_key_answer(v_app, v_order, v_fp);
    IF v_answer IS NOT NULL THEN
      RETURN to_json(v_answer);
    END IF;
  END IF;

  IF v_op <> 'issueCoupon' THEN
    PERFORM ledger_await_lease(v_app, (cmd->>'leaseToken')::bigint, (cmd->>'leaseWaitMs')::integer);
    locked := ledger_lock_account(v_app, (cmd->>'leaseToken')::bigint);
    IF locked.wait IS NOT NULL THEN
      RETURN json_build_object('wait', locked.wait);
    END IF;
    a := locked.a;
    IF v_fp IS NOT NULL THEN
      -- A new snapshot, taken after the account row lock: a request with this key that committed while this one
      -- waited for the row is visible now, and replays. (Without that lock, issueCoupon, nothing has come between
      -- the first look-up and here: its backstop is its coupon's key.)
      v_answer := ledger_key_answer(v_app, v_order, v_fp);
      IF v_answer IS NOT NULL THEN
        RETURN to_json(v_answer);
      END IF;
    END IF;
  END IF;

  v_answer := CASE v_op
    WHEN 'pay' THEN ledger_op_pay(cmd, a)
    WHEN 'recharge' THEN ledger_op_recharge(cmd, a)
    WHEN 'rollback' THEN ledger_op_rollback(cmd, a)
    WHEN 'hold' THEN ledger_op_hold(cmd, a)
    WHEN 'captureHold' THEN ledger_op_capture_hold(cmd, a)
    WHEN 'releaseHold' THEN ledger_op_release_hold(cmd, a)
    WHEN 'issueCoupon' THEN ledger_op_issue_coupon(cmd, a)
    WHEN 'expireHold' THEN ledger_op_expire_hold(cmd, a)
    WHEN 'settle' THEN ledger_op_settle(cmd, a)
  END;
  IF v_answer IS NULL THEN
    RAISE EXCEPTION 'unknown ledger operation %', v_op;
  END IF;

  v_refused := v_answer ? 'error';
  IF v_fp IS NOT NULL AND v_answer->>'stored' IS DISTINCT FROM 'false' THEN
    v_bill_row := (v_answer->'bill'->>'id')::bigint;
    INSERT INTO idempotency_key (app_id, order_no, operation, fingerprint, response, bill_row)
    VALUES (v_app, v_order, v_op, v_fp,
            CASE WHEN v_refused THEN v_answer
                 ELSE jsonb_build_object('data', CASE WHEN v_bill_row IS NULL THEN v_answer ELSE v_answer - 'bill' END)
            END, v_bill_row)
    ON CONFLICT (app_id, order_no) DO NOTHING;
    GET DIAGNOSTICS v_written = ROW_COUNT;
    IF v_written = 0 THEN
      -- A request with this key committed first without this one seeing it (issueCoupon takes no account row):
      -- this statement is undone, and run again it replays.
      RAISE EXCEPTION 'key % taken meanwhile', v_order USING ERRCODE = 'LG002';
    END IF;
  END IF;
  IF v_refused THEN
    RETURN to_json(v_answer);
  END IF;
  RETURN json_build_object('data', v_answer);
END
$fn$;
