import { TestDatabase } from './support/database';
import { errorOf, fundedAccount, ok, orderNo, PAY } from './support/ledger';
import { Service, startService } from './support/service';
import { closeLedger, openLedger } from './support/suite';

describe('idempotency on (appId, orderNo)', () => {
  let db: TestDatabase;
  let svc: Service;

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger());
  });

  afterAll(() => closeLedger(db, [svc]));

  it('50 concurrent identical pays: one bill, one debit, 49 replays of the same answer', async () => {
    await fundedAccount(svc, 101, 10_000);
    const input = { orderNo: orderNo('dup'), appId: 101, amount: 700, info: 'one web server' };
    const results = await Promise.all(Array.from({ length: 50 }, () => svc.gql(PAY, { input })));
    const answers = results.map((r) => ok(r).pay);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    expect(answers.filter((a) => a.replayed)).toHaveLength(49);
    const first = answers.find((a) => !a.replayed);
    for (const a of answers) {
      expect(a.bill).toEqual(first.bill);
      expect(a.account).toEqual(first.account);
    }
    const bills = await db.pool.query(`SELECT count(*)::int AS n FROM bill WHERE app_id = 101 AND order_no = $1`, [
      input.orderNo,
    ]);
    expect(bills.rows[0].n).toBe(1);
    const acc = await db.pool.query('SELECT balance FROM account WHERE app_id = 101');
    expect(Number(acc.rows[0].balance)).toBe(10_000 - 700);
  });

  it('the same orderNo with another amount answers IDEMPOTENCY_KEY_REUSED and changes nothing', async () => {
    await fundedAccount(svc, 102, 5_000);
    const no = orderNo('reuse');
    ok(await svc.gql(PAY, { input: { orderNo: no, appId: 102, amount: 100 } }));
    const before = await db.pool.query('SELECT balance, version FROM account WHERE app_id = 102');
    const again = await svc.gql(PAY, { input: { orderNo: no, appId: 102, amount: 101 } });
    expect(errorOf(again)).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', retCode: 10 });
    const after = await db.pool.query('SELECT balance, version FROM account WHERE app_id = 102');
    expect(after.rows).toEqual(before.rows);
    const n = await db.pool.query('SELECT count(*)::int AS n FROM bill WHERE app_id = 102');
    expect(n.rows[0].n).toBe(2); // the funding recharge and the one pay
  });

  it('a business failure is stored and replays as the same error with extensions.replayed', async () => {
    await fundedAccount(svc, 103, 50);
    const input = { orderNo: orderNo('poor'), appId: 103, amount: 51 };
    const first = await svc.gql(PAY, { input });
    expect(errorOf(first)).toMatchObject({ code: 'INSUFFICIENT_BALANCE', retCode: 3 });
    expect(errorOf(first).replayed).toBeUndefined();
    // Money arrives meanwhile: the retry must still get the first answer, not a new attempt.
    ok(
      await svc.gql(`mutation($i:RechargeInput!){ recharge(input:$i){ replayed } }`, {
        i: { orderNo: orderNo('top'), appId: 103, amount: 100 },
      }),
    );
    const retry = await svc.gql(PAY, { input });
    expect(errorOf(retry)).toMatchObject({ code: 'INSUFFICIENT_BALANCE', retCode: 3, replayed: true });
    expect(retry.errors![0].message).toBe(first.errors![0].message);
    const failed = await db.pool.query(
      `SELECT status, ret_code, amount FROM bill WHERE app_id = 103 AND order_no = $1`,
      [input.orderNo],
    );
    expect(failed.rows).toEqual([{ status: 'FAILED', ret_code: 3, amount: -51 }]);
  });

  it('bad input is not stored: the same orderNo runs afresh once corrected', async () => {
    await fundedAccount(svc, 104, 1_000);
    const no = orderNo('fix');
    const bad = await svc.gql(PAY, { input: { orderNo: no, appId: 104, amount: 0 } });
    expect(errorOf(bad)).toMatchObject({ code: 'INVALID_ARGUMENT', retCode: 6, field: 'input.amount' });
    const dedupe = await db.pool.query(
      'SELECT count(*)::int AS n FROM idempotency_key WHERE app_id = 104 AND order_no = $1',
      [no],
    );
    expect(dedupe.rows[0].n).toBe(0);
    const good = ok(await svc.gql(PAY, { input: { orderNo: no, appId: 104, amount: 10 } }));
    expect(good.pay).toMatchObject({ replayed: false, account: { balance: 990 } });
  });

  it('a repeat of a success answers replayed: true with the identical bill', async () => {
    await fundedAccount(svc, 105, 1_000);
    const input = { orderNo: orderNo('again'), appId: 105, amount: 1 };
    const a = ok(await svc.gql(PAY, { input })).pay;
    const b = ok(await svc.gql(PAY, { input })).pay;
    expect(a.replayed).toBe(false);
    expect(b.replayed).toBe(true);
    expect(b.bill).toEqual(a.bill);
  });

  it('a repeat while the first is still running waits, then answers REQUEST_IN_PROGRESS past the bound (not stored)', async () => {
    await fundedAccount(svc, 106, 1_000);
    const input = { orderNo: orderNo('slow'), appId: 106, amount: 40 };
    // Another instance's first request, still running: it has claimed the orderNo and not committed.
    const first = await db.pool.connect();
    const impatient = await startService(db.url, { IDEMPOTENCY_WAIT_MS: '300' });
    try {
      await first.query('BEGIN');
      await first.query(
        `INSERT INTO idempotency_key (app_id, order_no, operation, fingerprint) VALUES ($1, $2, 'pay', 'in-flight')`,
        [input.appId, input.orderNo],
      );
      const r = await impatient.gql(PAY, { input });
      expect(errorOf(r)).toMatchObject({ code: 'REQUEST_IN_PROGRESS', retCode: 11 });
      // The first one fails after all: nothing was stored for the waiter, so its retry runs afresh.
      await first.query('ROLLBACK');
      const retry = ok(await impatient.gql(PAY, { input })).pay;
      expect(retry).toMatchObject({ replayed: false, account: { balance: 960 } });
    } finally {
      first.release();
      await impatient.stop();
    }
  });
});
