import { Client } from 'pg';
import { createTestDatabase, TestDatabase, withClient } from './support/database';
import { waitFor } from './support/events';

/**
 * The one write path (ledger_run: every money mutation as one statement),
 * called directly: what it writes, what it answers without keeping, and how
 * it meets a concurrent request with its key. The service-level guarantees
 * (concurrent duplicates, replays, refusals) are in idempotency.spec.ts and
 * pay.spec.ts, which run through it.
 */
describe('ledger_run: a whole mutation in one statement', () => {
  let db: TestDatabase;

  const cmd = (appId: number, orderNo: string, amount: number, fingerprint: string | null = 'fp') => ({
    op: 'pay',
    appId,
    orderNo,
    fingerprint,
    user: 'u',
    srcIp: '127.0.0.1',
    leaseToken: null,
    leaseWaitMs: 0,
    args: { amount, items: null, couponId: null, info: null },
  });
  const call = (c: { query: Client['query'] }, appId: number, orderNo: string, amount: number, fingerprint = 'fp') =>
    c.query(`SELECT ledger_run($1) AS r`, [JSON.stringify(cmd(appId, orderNo, amount, fingerprint))]);
  const state = async (appId: number, orderNo: string) => {
    const { rows } = await db.pool.query(
      `SELECT (SELECT balance FROM account WHERE app_id = $1) AS balance,
              (SELECT count(*)::int FROM bill WHERE app_id = $1 AND order_no = $2) AS bills,
              (SELECT ledger_stored_answer(app_id, response, bill_row) FROM idempotency_key
                WHERE app_id = $1 AND order_no = $2) AS stored,
              (SELECT count(*)::int FROM idempotency_key WHERE app_id = $1 AND order_no = $2) AS keys`,
      [appId, orderNo],
    );
    return rows[0];
  };

  /** Resolves once the backend `pid` waits for a lock (another transaction's row or key). */
  const waitingForLock = (pid: number) =>
    waitFor(`backend ${pid} to wait for a lock`, async () => {
      const { rows } = await db.pool.query('SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1', [pid]);
      return rows[0]?.wait_event_type === 'Lock';
    });
  /** Two sessions for a race: the first request's, and a second one's with its backend pid. */
  const twoSessions = (race: (holder: Client, waiter: Client, waiterPid: number) => Promise<void>) =>
    withClient(db.url, (holder) =>
      withClient(db.url, async (waiter) =>
        race(holder, waiter, (await waiter.query('SELECT pg_backend_pid() AS pid')).rows[0].pid),
      ),
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(
      `INSERT INTO account (app_id, balance) VALUES (1, 1000), (2, 1000), (3, 1000), (4, 1000), (5, 1000), (6, 1000)`,
    );
  });
  afterAll(() => db.drop());

  it('posts and stores the answer it gives (GraphQL field names); the same key then replays it, writing nothing', async () => {
    const first = (await call(db.pool, 1, 'o-1', 300)).rows[0].r;
    expect(first.data.account).toMatchObject({ appId: 1, balance: 700, available: 700 });
    expect(first.data.bill).toMatchObject({
      orderNo: 'o-1',
      amount: -300,
      oldBalance: 1000,
      newBalance: 700,
      status: 'SUCCESS',
    });
    const after = await state(1, 'o-1');
    expect(after).toMatchObject({ balance: 700, bills: 1, keys: 1 });
    expect(after.stored).toEqual(first);

    const again = (await call(db.pool, 1, 'o-1', 300)).rows[0].r;
    expect(again).toEqual({ ...first, replayed: true });
    expect(await state(1, 'o-1')).toMatchObject({ balance: 700, bills: 1, keys: 1 });

    const other = (await call(db.pool, 1, 'o-1', 301, 'fp-other')).rows[0].r;
    expect(other).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED' }, stored: false });
  });

  it('a bill is written once: the stored answer and its BILL_RECORDED event name its row instead of copying it, and read back whole', async () => {
    await db.pool.query('INSERT INTO account (app_id, balance) VALUES (31, 1000)');
    // A session of its own writes events (the test pool's are off).
    const first = (await withClient(db.url, (c) => call(c, 31, 'once-1', 300))).rows[0].r;
    const { rows: keys } = await db.pool.query(
      `SELECT response, bill_row::text AS bill_row FROM idempotency_key WHERE app_id = 31 AND order_no = 'once-1'`,
    );
    expect(keys).toEqual([{ response: { data: { account: first.data.account } }, bill_row: first.data.bill.id }]);
    const { rows: events } = await db.pool.query(
      `SELECT e.data, e.bill_row::text AS bill_row, ledger_event_data(e) AS read
         FROM ledger_event e WHERE e.app_id = 31 AND e.type = 'BILL_RECORDED'`,
    );
    expect(events).toEqual([{ data: { account: first.data.account }, bill_row: first.data.bill.id, read: first.data }]);
    expect((await call(db.pool, 31, 'once-1', 300)).rows[0].r).toEqual({ ...first, replayed: true });
  });

  it('a refusal is decided where the row lock is: FAILED bill and stored error in the same statement, carrying billId and available', async () => {
    const refused = (await call(db.pool, 2, 'o-2', 5000)).rows[0].r;
    expect(refused.error).toMatchObject({ code: 'INSUFFICIENT_BALANCE', details: { available: 1000 } });
    const after = await state(2, 'o-2');
    expect(after).toMatchObject({ balance: 1000, bills: 1, keys: 1 });
    expect(after.stored).toEqual(refused);
    const bill = await db.pool.query(
      `SELECT bill_id, status, ret_code FROM bill WHERE app_id = 2 AND order_no = 'o-2'`,
    );
    expect(bill.rows[0]).toMatchObject({ status: 'FAILED', ret_code: 3 });
    expect(refused.error.details.billId).toBe(Number(bill.rows[0].bill_id));
  });

  it('a first answer that does not ask for priceInfo goes without it; the bill keeps it and a replay renders it', async () => {
    await db.pool.query(`INSERT INTO account (app_id, balance) VALUES (12, 1000)`);
    await db.pool.query(`INSERT INTO price (name, price, billing) VALUES ('os-item', 40, 'ONE_TIME')`);
    const byItems = (answerPriceInfo?: boolean) => ({
      ...cmd(12, 'o-12', 0),
      args: { amount: null, items: [{ name: 'os-item', quantity: 2 }], couponId: null, info: null },
      ...(answerPriceInfo === undefined ? {} : { answerPriceInfo }),
    });
    const lines = {
      items: [{ name: 'os-item', quantity: 2, unitPrice: 40, billing: 'ONE_TIME', subtotal: 80 }],
      total: 80,
    };
    const first = (await db.pool.query(`SELECT ledger_run($1) AS r`, [JSON.stringify(byItems(false))])).rows[0].r;
    expect(first.data.bill).toMatchObject({ amount: -80, priceInfo: null });
    const row = await db.pool.query(`SELECT price_info FROM bill WHERE app_id = 12 AND order_no = 'o-12'`);
    expect(row.rows[0].price_info).toEqual(lines);
    const replay = (await db.pool.query(`SELECT ledger_run($1) AS r`, [JSON.stringify(byItems(false))])).rows[0].r;
    expect(replay).toMatchObject({
      replayed: true,
      data: { bill: { billId: first.data.bill.billId, priceInfo: lines } },
    });
    // Without the field (internal jobs, older callers) the answer renders it.
    const other = { ...byItems(), orderNo: 'o-12b' };
    const full = (await db.pool.query(`SELECT ledger_run($1) AS r`, [JSON.stringify(other)])).rows[0].r;
    expect(full.data.bill.priceInfo).toEqual(lines);
  });

  it('bad input is answered, not stored: nothing is written and the key stays free', async () => {
    await db.pool.query(`INSERT INTO account (app_id, balance) VALUES (7, 9007199254740000)`);
    const c = { ...cmd(7, 'o-7', 0), op: 'recharge', args: { amount: 5000, info: null } };
    const r = (await db.pool.query(`SELECT ledger_run($1) AS r`, [JSON.stringify(c)])).rows[0].r;
    expect(r).toMatchObject({ error: { code: 'INVALID_ARGUMENT', details: { field: 'input.amount' } }, stored: false });
    expect(await state(7, 'o-7')).toMatchObject({ bills: 0, keys: 0 });
  });

  it('the key is written once, with its answer: one row inserted and none updated or deleted (success, refusal); none for bad input', async () => {
    await db.pool.query(`INSERT INTO account (app_id, balance) VALUES (8, 1000), (9, 9007199254740000)`);
    const tooMuch = { ...cmd(9, 'o-9', 0), op: 'recharge', args: { amount: 5000, info: null } };
    await withClient(db.url, async (c) => {
      // This session's row counts for idempotency_key not yet sent to the statistics (so a difference within one
      // transaction is what the statement did).
      const keyRows = async () =>
        (
          await c.query(
            `SELECT pg_stat_get_xact_tuples_inserted(t)::int AS ins, pg_stat_get_xact_tuples_updated(t)::int AS upd,
                    pg_stat_get_xact_tuples_deleted(t)::int AS del FROM CAST('idempotency_key' AS regclass) t`,
          )
        ).rows[0];
      for (const [run, key] of [
        [() => call(c, 8, 'o-8a', 300), { ins: 1, upd: 0, del: 0 }],
        [() => call(c, 8, 'o-8b', 5000), { ins: 1, upd: 0, del: 0 }],
        [() => c.query(`SELECT ledger_run($1) AS r`, [JSON.stringify(tooMuch)]), { ins: 0, upd: 0, del: 0 }],
      ] as const) {
        await c.query('BEGIN');
        const before = await keyRows();
        await run();
        const after = await keyRows();
        expect({ ins: after.ins - before.ins, upd: after.upd - before.upd, del: after.del - before.del }).toEqual(key);
        await c.query('COMMIT');
      }
    });
    expect(await state(8, 'o-8a')).toMatchObject({ balance: 700, bills: 1, keys: 1 });
    expect((await state(8, 'o-8b')).stored).toMatchObject({ error: { code: 'INSUFFICIENT_BALANCE' } });
    expect(await state(9, 'o-9')).toMatchObject({ bills: 0, keys: 0 });
  });

  it("another owner's lease: answers wait (after waiting leaseWaitMs) having written nothing; its own token is not blocked", async () => {
    await db.pool.query(
      `INSERT INTO app_lock (app_id, owner, token, expires_at) VALUES (5, 'settlement', 7, now() + interval '1 minute')`,
    );
    const r = (await call(db.pool, 5, 'o-5', 100)).rows[0].r;
    expect(r).toEqual({ wait: expect.stringContaining('leased by settlement') });
    expect(await state(5, 'o-5')).toMatchObject({ balance: 1000, bills: 0, keys: 0 });
    const own = { ...cmd(5, 'o-5', 100, null), leaseToken: 7 };
    const mine = (await db.pool.query(`SELECT ledger_run($1) AS r`, [JSON.stringify(own)])).rows[0].r;
    expect(mine.data.account.balance).toBe(900);
    expect(await state(5, 'o-5')).toMatchObject({ balance: 900, bills: 1, keys: 0 }); // no fingerprint: no key
  });

  it('a concurrent request with the key: waits for the first to commit and replays its answer, or 55P03 past lock_timeout', () =>
    twoSessions(async (holder, waiter, waiterPid) => {
      // The first request, still in its transaction.
      await holder.query('BEGIN');
      const first = (await call(holder, 3, 'o-3', 100, 'fp-first')).rows[0].r;

      await waiter.query(`SET lock_timeout = '200ms'`);
      await expect(call(waiter, 3, 'o-3', 100, 'fp-first')).rejects.toMatchObject({ code: '55P03' });

      await waiter.query(`SET lock_timeout = '10s'`);
      const waiting = call(waiter, 3, 'o-3', 100, 'fp-first');
      await waitingForLock(waiterPid);
      await holder.query('COMMIT');
      const second = (await waiting).rows[0].r;
      expect(second).toEqual({ ...first, replayed: true });
      expect(await state(3, 'o-3')).toMatchObject({ balance: 900, bills: 1, keys: 1 });
    }));

  it('a concurrent request whose first rolls back takes the key itself and posts once', () =>
    twoSessions(async (holder, waiter, waiterPid) => {
      await holder.query('BEGIN');
      await call(holder, 3, 'o-4', 100);
      const waiting = call(waiter, 3, 'o-4', 100);
      await waitingForLock(waiterPid);
      await holder.query('ROLLBACK');
      expect((await waiting).rows[0].r.data.account.balance).toBe(800);
      expect(await state(3, 'o-4')).toMatchObject({ balance: 800, bills: 1, keys: 1 });
    }));

  it('a coupon issue whose orderNo another request granted while it ran is undone (LG002), and run again replays that answer', async () => {
    await db.pool.query(
      `INSERT INTO coupon_template (code, name, discount, per_app_limit, valid_days) VALUES ('OS', 'os', 10, 5, 30)`,
    );
    // issueCoupon locks no account row: both requests get past the key's look-up.
    const issue = JSON.stringify({ ...cmd(11, 'c-1', 0, 'fp-c'), op: 'issueCoupon', args: { templateCode: 'OS' } });
    await twoSessions(async (holder, waiter, waiterPid) => {
      await holder.query('BEGIN');
      const first = (await holder.query('SELECT ledger_run($1) AS r', [issue])).rows[0].r;
      expect(first.data.coupon).toMatchObject({ templateCode: 'OS', status: 'ISSUED' });
      const waiting = waiter.query('SELECT ledger_run($1) AS r', [issue]).catch((e: unknown) => e);
      await waitingForLock(waiterPid); // on the app's quota row
      await holder.query('COMMIT');
      expect(await waiting).toMatchObject({ code: 'LG002' });
      const again = (await waiter.query('SELECT ledger_run($1) AS r', [issue])).rows[0].r;
      expect(again).toEqual({ ...first, replayed: true });
    });
    const { rows } = await db.pool.query(
      `SELECT (SELECT count(*)::int FROM coupon WHERE app_id = 11) AS coupons,
              (SELECT issued::int FROM coupon_template WHERE code = 'OS') AS issued,
              (SELECT issued::int FROM coupon_quota WHERE app_id = 11) AS quota`,
    );
    expect(rows[0]).toEqual({ coupons: 1, issued: 1, quota: 1 });
  });

  it('a batch: members in order, each with its own answer; a refusal, a rejection or a repeated key spoils none', async () => {
    await call(db.pool, 4, 'b-old', 100); // an earlier request: balance 900
    const members = [
      cmd(4, 'b-1', 500), // 900 -> 400
      cmd(4, 'b-2', 600), // refused: 400 available (FAILED bill, stored)
      cmd(4, 'b-1', 500), // the same key as the first member: replays it
      cmd(4, 'b-old', 100), // an earlier request: replays it
      { ...cmd(4, 'b-bad', 0), args: { amount: null, items: [{ name: 'no-such-item', quantity: 1 }] } }, // rejected
      cmd(6, 'b-6', 100), // another account in the same batch
      cmd(4, 'b-3', 400), // 400 -> 0
    ];
    const answers = (await db.pool.query('SELECT ledger_run_batch($1) AS r', [JSON.stringify(members)])).rows[0].r;
    expect(answers).toHaveLength(7);
    expect(answers[0].data.bill).toMatchObject({ orderNo: 'b-1', oldBalance: 900, newBalance: 400 });
    expect(answers[1].error).toMatchObject({ code: 'INSUFFICIENT_BALANCE', details: { available: 400 } });
    expect(answers[2]).toEqual({ ...answers[0], replayed: true });
    expect(answers[3].data.bill).toMatchObject({ orderNo: 'b-old', newBalance: 900 });
    expect(answers[3].replayed).toBe(true);
    expect(answers[4]).toMatchObject({
      error: { code: 'INVALID_ARGUMENT', details: { field: 'input.items[0].name' } },
    });
    expect(answers[5].data.bill).toMatchObject({ appId: 6, oldBalance: 1000, newBalance: 900 });
    expect(answers[6].data.bill).toMatchObject({ orderNo: 'b-3', oldBalance: 400, newBalance: 0 });
    expect(await state(4, 'b-2')).toMatchObject({ balance: 0, bills: 1, keys: 1 });
    expect(await state(4, 'b-bad')).toMatchObject({ bills: 0, keys: 0 });
    expect(await state(4, 'b-1')).toMatchObject({ bills: 1, keys: 1 });
    expect(await state(4, 'b-3')).toMatchObject({ bills: 1, keys: 1 });
  });
});
