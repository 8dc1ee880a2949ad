import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from './support/database';

/**
 * The one-statement idempotent posting (ledger_post_once, used by recharge and
 * a pay of an amount), called directly: what it writes, what it hands back to
 * the transaction path, and how it meets a concurrent request with its key.
 * The service-level guarantees (concurrent duplicates, replays, refusals) are
 * in idempotency.spec.ts and pay.spec.ts, which run through it.
 */
describe('ledger_post_once: a whole posting mutation in one statement', () => {
  let db: TestDatabase;

  const call = (c: { query: Client['query'] }, appId: number, orderNo: string, amount: number, fingerprint = 'fp') =>
    c.query(
      `SELECT ledger_post_once('pay', $1, $2, $3, $4, 0, true, NULL, 'PAY', NULL, 'u', NULL, '127.0.0.1', NULL) AS r`,
      [fingerprint, appId, orderNo, amount],
    );
  const state = async (appId: number, orderNo: string) => {
    const { rows } = await db.pool.query(
      `SELECT (SELECT balance FROM account WHERE app_id = $1) AS balance,
              (SELECT count(*)::int FROM bill WHERE app_id = $1 AND order_no = $2) AS bills,
              (SELECT response FROM idempotency_key WHERE app_id = $1 AND order_no = $2) AS stored,
              (SELECT count(*)::int FROM idempotency_key WHERE app_id = $1 AND order_no = $2) AS keys`,
      [appId, orderNo],
    );
    return rows[0];
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(`INSERT INTO account (app_id, balance) VALUES (1, 1000), (2, 1000), (3, 1000), (4, 1000)`);
  });
  afterAll(() => db.drop());

  it('claims, posts and stores the rows it answers with; the same key then answers the stored rows, writing nothing', async () => {
    const first = (await call(db.pool, 1, 'o-1', -300)).rows[0].r;
    expect(first.account).toMatchObject({ app_id: 1, balance: 700 });
    expect(first.bill).toMatchObject({
      order_no: 'o-1',
      amount: -300,
      old_balance: 1000,
      new_balance: 700,
      status: 'SUCCESS',
    });
    const after = await state(1, 'o-1');
    expect(after).toMatchObject({ balance: 700, bills: 1, keys: 1 });
    expect(after.stored).toEqual({ rows: { account: first.account, bill: first.bill } });

    const again = (await call(db.pool, 1, 'o-1', -300)).rows[0].r;
    expect(again).toEqual({ fingerprint: 'fp', stored: { rows: { account: first.account, bill: first.bill } } });
    expect(await state(1, 'o-1')).toMatchObject({ balance: 700, bills: 1, keys: 1 });
  });

  it('a posting the rule refuses answers refused and leaves nothing behind: no claim, no bill, no change', async () => {
    expect((await call(db.pool, 2, 'o-2', -5000)).rows[0].r).toEqual({ refused: true });
    expect(await state(2, 'o-2')).toMatchObject({ balance: 1000, bills: 0, keys: 0 });
    // The key is free for the transaction path (or a corrected retry).
    expect((await call(db.pool, 2, 'o-2', -500)).rows[0].r.account.balance).toBe(500);
  });

  it('a concurrent request holding the key: waits for its commit and answers its stored rows, or LG001 past lock_timeout', async () => {
    const holder = new Client({ connectionString: db.url });
    const waiter = new Client({ connectionString: db.url });
    await holder.connect();
    await waiter.connect();
    try {
      // The first request, still in its transaction.
      await holder.query('BEGIN');
      const first = (await call(holder, 3, 'o-3', -100, 'fp-first')).rows[0].r;

      await waiter.query(`SET lock_timeout = '200ms'`);
      await expect(call(waiter, 3, 'o-3', -100, 'fp-first')).rejects.toMatchObject({ code: 'LG001' });

      await waiter.query(`SET lock_timeout = '10s'`);
      const waiting = call(waiter, 3, 'o-3', -100, 'fp-first');
      await new Promise((r) => setTimeout(r, 200));
      await holder.query('COMMIT');
      const second = (await waiting).rows[0].r;
      expect(second).toEqual({
        fingerprint: 'fp-first',
        stored: { rows: { account: first.account, bill: first.bill } },
      });
      expect(await state(3, 'o-3')).toMatchObject({ balance: 900, bills: 1, keys: 1 });
    } finally {
      await holder.end();
      await waiter.end();
    }
  });

  it('a concurrent request whose first rolls back claims the key itself and posts once', async () => {
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await call(holder, 3, 'o-4', -100);
      const waiting = call(db.pool, 3, 'o-4', -100);
      await new Promise((r) => setTimeout(r, 200));
      await holder.query('ROLLBACK');
      expect((await waiting).rows[0].r.account.balance).toBe(800);
      expect(await state(3, 'o-4')).toMatchObject({ balance: 800, bills: 1, keys: 1 });
    } finally {
      await holder.end();
    }
  });

  it('a batch on one account: members in order, each with its own answer; a refusal or a repeated key spoils none', async () => {
    await call(db.pool, 4, 'b-old', -100); // an earlier request: balance 900
    const member = (orderNo: string, amount: number, fingerprint = 'fp') => ({
      operation: 'pay',
      fingerprint,
      appId: 4,
      orderNo,
      amount,
      heldDelta: 0,
      refuseIfFrozen: true,
      billId: null,
      channel: 'PAY',
      info: null,
      user: 'u',
      priceInfo: null,
      srcIp: null,
      leaseToken: null,
    });
    const members = [
      member('b-1', -500), // 900 -> 400
      member('b-2', -600), // refused: 400 available
      member('b-1', -500), // the same key as the first member: replays it
      member('b-old', -100), // an earlier request: replays it
      member('b-3', -400), // 400 -> 0
    ];
    const answers = (await db.pool.query('SELECT ledger_post_batch($1) AS r', [JSON.stringify(members)])).rows[0].r;
    expect(answers).toHaveLength(5);
    expect(answers[0].bill).toMatchObject({ order_no: 'b-1', old_balance: 900, new_balance: 400 });
    expect(answers[1]).toEqual({ refused: true });
    expect(answers[2]).toEqual({
      fingerprint: 'fp',
      stored: { rows: { account: answers[0].account, bill: answers[0].bill } },
    });
    expect(answers[3].stored.rows.bill).toMatchObject({ order_no: 'b-old', new_balance: 900 });
    expect(answers[4].bill).toMatchObject({ order_no: 'b-3', old_balance: 400, new_balance: 0 });
    expect(await state(4, 'b-2')).toMatchObject({ balance: 0, bills: 0, keys: 0 });
    expect(await state(4, 'b-1')).toMatchObject({ bills: 1, keys: 1 });
    expect(await state(4, 'b-3')).toMatchObject({ bills: 1, keys: 1 });
  });
});
