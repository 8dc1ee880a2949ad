import { Client, Pool } from 'pg';
import { Batching, CommandBatcher, MAX_BATCH, STALLED_AFTER_MS } from '../src/common/idempotency/command-batcher';
import type { LedgerCommand, StoredAnswer } from '../src/common/idempotency/command';
import { createTestDatabase, TestDatabase, testPool } from './support/database';

/**
 * Group commit (src/common/idempotency/command-batcher.ts and ledger_run_batch):
 * commands of different accounts that arrive while a statement is in flight
 * go together in the next one, each keeping its own outcome, and batches take
 * their account rows in one order. The batcher runs here on a real pool
 * against a real database, as the service runs it; the service-level
 * guarantees (a killed process loses no acknowledged member) are in
 * crash-safety.spec.ts.
 */
describe('group commit across accounts', () => {
  let db: TestDatabase;
  let pool: Pool;
  let next = 1;

  const pay = (appId: number, amount: number, extra: Partial<LedgerCommand> = {}): LedgerCommand => ({
    op: 'pay',
    appId,
    orderNo: `gc-${next++}`,
    fingerprint: 'fp',
    user: 'u',
    srcIp: '127.0.0.1',
    leaseToken: null,
    leaseWaitMs: 0,
    args: { amount, items: null, couponId: null, info: null },
    ...extra,
  });

  /** Accounts first..first+n-1, each with `balance`. */
  const accounts = async (first: number, n: number, balance: number) => {
    await db.pool.query(
      `INSERT INTO account (app_id, balance) SELECT g, $3 FROM generate_series($1::int, $1::int + $2::int - 1) g`,
      [first, n, balance],
    );
    return Array.from({ length: n }, (_, i) => first + i);
  };

  /** The transaction (xmin) that wrote each order's bill. */
  const txOf = async (cmds: LedgerCommand[]) => {
    const { rows } = await db.pool.query<{ order_no: string; tx: string; status: string }>(
      `SELECT order_no, xmin::text AS tx, status FROM bill WHERE order_no = ANY($1)`,
      [cmds.map((c) => c.orderNo)],
    );
    return new Map(rows.map((r) => [r.order_no, r]));
  };

  const balanceOf = async (appId: number) =>
    Number((await db.pool.query('SELECT balance FROM account WHERE app_id = $1', [appId])).rows[0].balance);

  /** Another transaction holding `appId`'s account row until `release()` (which rolls it back; twice is fine). */
  const holdRow = async (appId: number) => {
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM account WHERE app_id = $1 FOR UPDATE', [appId]);
    let held = true;
    return {
      release: async () => {
        if (!held) return;
        held = false;
        await holder.query('ROLLBACK');
        await holder.end();
      },
    };
  };

  /** Runs `first` and, in the same tick (so while it is in flight), the others; all answers in order. */
  const runTogether = (batcher: CommandBatcher, first: LedgerCommand, others: LedgerCommand[]) =>
    Promise.all([batcher.run(first), ...others.map((c) => batcher.run(c))]);

  const batcherOn = (batching: Batching, maxStatements = 1) => new CommandBatcher(pool, { batching, maxStatements });

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = testPool({ connectionString: db.url, max: 8, options: '-c lock_timeout=1000' });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('commands of several accounts arriving while a statement is in flight commit together, each with its own answer; a refusal leaves the others applied', async () => {
    const ids = await accounts(100, 9, 1000);
    const first = pay(ids[0], 100);
    const others = [
      pay(ids[1], 100),
      pay(ids[2], 200),
      pay(ids[3], 5000), // refused: 1000 available
      { ...pay(ids[4], 0), args: { amount: null, items: [{ name: 'no-such-item', quantity: 1 }] } }, // rejected
      pay(ids[5], 300),
      pay(ids[6], 400),
      pay(ids[7], 1000),
      pay(ids[8], 1001), // refused: 1000 available
    ];
    const [a0, ...answers] = await runTogether(batcherOn('accounts'), first, others);

    expect(a0.data!.bill).toMatchObject({ appId: ids[0], newBalance: 900, status: 'SUCCESS' });
    const applied = [1, 2, 5, 6, 7].map((i) => answers[i - 1]);
    applied.forEach((a, k) =>
      expect(a.data!.bill).toMatchObject({ appId: ids[[1, 2, 5, 6, 7][k]], status: 'SUCCESS' }),
    );
    expect(answers[2].error).toMatchObject({ code: 'INSUFFICIENT_BALANCE', details: { available: 1000 } });
    expect(answers[3].error).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'input.items[0].name' } });
    expect(answers[7].error).toMatchObject({ code: 'INSUFFICIENT_BALANCE', details: { available: 1000 } });
    expect(await Promise.all(ids.map(balanceOf))).toEqual([900, 900, 800, 1000, 1000, 700, 600, 0, 1000]);

    // One commit for the eight that waited (the refusals' FAILED bills in it too), apart from the first.
    const tx = await txOf([first, ...others]);
    const batchTx = new Set(others.filter((_, i) => i !== 3).map((c) => tx.get(c.orderNo)!.tx));
    expect(batchTx.size).toBe(1);
    expect(batchTx.has(tx.get(first.orderNo)!.tx)).toBe(false);
    expect(tx.get(others[2].orderNo)!.status).toBe('FAILED');
    expect(tx.has(others[3].orderNo)).toBe(false); // rejected: no bill
  });

  it("one member's conflict (its account row locked past lock_timeout) fails only that member: the others are applied", async () => {
    const ids = await accounts(200, 4, 1000);
    const row = await holdRow(ids[2]);
    try {
      const batcher = batcherOn('accounts');
      const first = pay(ids[0], 100);
      const others = [pay(ids[1], 100), pay(ids[2], 100), pay(ids[3], 100)];
      const outcomes = await Promise.allSettled([batcher.run(first), ...others.map((c) => batcher.run(c))]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ code: '55P03' });
      expect(await Promise.all(ids.map(balanceOf))).toEqual([900, 900, 1000, 900]);
    } finally {
      await row.release();
    }
  });

  it(`a statement waiting for a row lock stops holding its slot after ${STALLED_AFTER_MS} ms: the other accounts' commands go on`, async () => {
    const ids = await accounts(250, 3, 1000);
    // A lock_timeout far beyond the stall, so that the stuck statement is still waiting when the others are done.
    const patient = testPool({ connectionString: db.url, max: 4, options: '-c lock_timeout=10000' });
    const row = await holdRow(ids[0]);
    try {
      // One slot: the stuck command takes it, and the two others arrive while it is in flight.
      const batcher = new CommandBatcher(patient, { batching: 'accounts', maxStatements: 1 });
      let stuckEnded = false;
      const stuck = batcher.run(pay(ids[0], 100)).finally(() => (stuckEnded = true));
      const others = await Promise.all([batcher.run(pay(ids[1], 100)), batcher.run(pay(ids[2], 100))]);

      expect(others.map((a) => (a.data!.bill as { status: string }).status)).toEqual(['SUCCESS', 'SUCCESS']);
      expect(stuckEnded).toBe(false); // they did not wait for it: it is still waiting for the row
      expect(await Promise.all(ids.map(balanceOf))).toEqual([1000, 900, 900]);
      await row.release();
      expect((await stuck).data!.bill).toMatchObject({ appId: ids[0], status: 'SUCCESS' });
      expect(await balanceOf(ids[0])).toBe(900);
    } finally {
      await row.release();
      await patient.end();
    }
  });

  it('two batches over the same accounts in opposite orders do not deadlock: both take the rows in app_id order', async () => {
    const ids = await accounts(300, 12, 100_000);
    // A third transaction holds the lowest account, so both batches are in flight at once; then it lets go.
    const row = await holdRow(ids[0]);
    const a = new Client({ connectionString: db.url });
    const b = new Client({ connectionString: db.url });
    await Promise.all([a.connect(), b.connect()]);
    try {
      const batch = (order: number[]) => JSON.stringify(order.map((id) => pay(id, 1)));
      const first = a.query('SELECT ledger_run_batch($1) AS r', [batch(ids)]);
      const second = b.query('SELECT ledger_run_batch($1) AS r', [batch([...ids].reverse())]);
      // Both wait for a row lock (the ordered one at the first account) before the holder lets go.
      for (;;) {
        const { rows } = await db.pool.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%ledger_run_batch%'`,
        );
        if (rows[0].n === 2) break;
        await new Promise((r) => setImmediate(r));
      }
      await row.release();
      const [ra, rb] = await Promise.all([first, second]); // a deadlock would reject one of them (40P01)
      for (const answers of [ra.rows[0].r as StoredAnswer[], rb.rows[0].r as StoredAnswer[]]) {
        expect(answers.map((x) => x.data?.bill && (x.data.bill as { status: string }).status)).toEqual(
          ids.map(() => 'SUCCESS'),
        );
      }
      expect(await Promise.all(ids.map(balanceOf))).toEqual(ids.map(() => 100_000 - 2));
    } finally {
      await Promise.all([row.release(), a.end(), b.end()]);
    }
  });

  it('two instances batching the same accounts in opposite arrival orders: every command applied once', async () => {
    const ids = await accounts(400, 20, 100_000);
    const pool2 = testPool({ connectionString: db.url, max: 8, options: '-c lock_timeout=1000' });
    try {
      const one = new CommandBatcher(pool, { batching: 'accounts', maxStatements: 2 });
      const two = new CommandBatcher(pool2, { batching: 'accounts', maxStatements: 2 });
      const cmds: LedgerCommand[] = [];
      const rounds = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const up = ids.map((id) => pay(id, 1));
          const down = [...ids].reverse().map((id) => pay(id, 1));
          cmds.push(...up, ...down);
          return Promise.all([...up.map((c) => one.run(c)), ...down.map((c) => two.run(c))]);
        }),
      );
      expect(rounds.flat().every((x) => (x.data?.bill as { status: string }).status === 'SUCCESS')).toBe(true);
      expect(await Promise.all(ids.map(balanceOf))).toEqual(ids.map(() => 100_000 - 20));
      const tx = await txOf(cmds);
      expect(tx.size).toBe(cmds.length);
      expect(new Set([...tx.values()].map((r) => r.tx)).size).toBeLessThan(cmds.length / 2); // they were batched
    } finally {
      await pool2.end();
    }
  });

  it("a member of a leased app answers `wait` at once instead of holding the batch's locks while it waits", async () => {
    const ids = await accounts(500, 3, 1000);
    await db.pool.query(
      `INSERT INTO app_lock (app_id, owner, token, expires_at) VALUES ($1, 'someone', 1, now() + interval '20 seconds')`,
      [ids[1]],
    );
    const first = pay(ids[0], 1);
    const others = [pay(ids[0], 10), pay(ids[1], 10, { leaseWaitMs: 30_000 }), pay(ids[2], 10)];
    const [, a, leased, c] = await runTogether(batcherOn('accounts'), first, others);
    // Waiting in the statement would have outlived the lease (20 s) and applied the pay.
    expect(leased).toEqual({ wait: expect.stringContaining(`app ${ids[1]} is leased by someone`) });
    expect([a.data!.bill, c.data!.bill]).toMatchObject([{ status: 'SUCCESS' }, { status: 'SUCCESS' }]);
    expect(await Promise.all(ids.map(balanceOf))).toEqual([989, 1000, 990]);
  });

  it("BATCHING=account groups only one account's commands; BATCHING=off sends each alone", async () => {
    const ids = await accounts(600, 3, 1000);
    // ids[1]'s first command finds its account idle and goes at once; its next two wait for it and go together.
    const others = [pay(ids[0], 1), pay(ids[1], 1), pay(ids[1], 1), pay(ids[1], 1), pay(ids[2], 1)];
    const first = pay(ids[0], 1);
    await runTogether(batcherOn('account'), first, others);
    let tx = await txOf([first, ...others]);
    const t = (c: LedgerCommand) => tx.get(c.orderNo)!.tx;
    expect(t(others[2])).toBe(t(others[3])); // one account's two waiting commands together
    expect(new Set([first, others[0], others[1], others[2], others[4]].map(t)).size).toBe(5); // accounts apart

    const alone = [pay(ids[0], 1), pay(ids[0], 1), pay(ids[1], 1), pay(ids[1], 1)];
    await Promise.all(alone.map((c) => batcherOn('off').run(c)));
    tx = await txOf(alone);
    expect(new Set(alone.map(t)).size).toBe(4);
  });

  it(`a batch takes at most ${MAX_BATCH} commands, and an issueCoupon goes alone`, async () => {
    const ids = await accounts(700, MAX_BATCH + 5, 1000);
    await db.pool.query(
      `INSERT INTO coupon_template (code, name, discount, per_app_limit, valid_days) VALUES ('GC', 'gc', 10, 5, 30)`,
    );
    const coupon: LedgerCommand = { ...pay(ids[1], 0), op: 'issueCoupon', args: { templateCode: 'GC' } };
    const first = pay(ids[0], 1);
    const others = [coupon, ...ids.slice(2).map((id) => pay(id, 1))];
    const answers = await runTogether(batcherOn('accounts'), first, others);
    expect(answers[1].data).toBeDefined();
    const tx = await txOf([first, ...others]);
    const sizes = new Map<string, number>();
    for (const r of tx.values()) sizes.set(r.tx, (sizes.get(r.tx) ?? 0) + 1);
    expect(Math.max(...sizes.values())).toBe(MAX_BATCH);
    const couponTx = (
      await db.pool.query(`SELECT xmin::text AS tx FROM coupon WHERE app_id = $1 AND order_no = $2`, [
        ids[1],
        coupon.orderNo,
      ])
    ).rows[0].tx;
    expect(sizes.has(couponTx)).toBe(false); // no pay committed with the coupon
  });
});
