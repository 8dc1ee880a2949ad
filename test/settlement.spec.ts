import { runCli } from './support/cli';
import { TestDatabase } from './support/database';
import { errorOf, fundedAccount, ok, orderNo, PAY, RECHARGE, ROLLBACK } from './support/ledger';
import { Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

const SET_PRICE = `mutation($i:SetPriceInput!){ setPrice(input:$i){ name } }`;
const SETTLE = `mutation($m:String!){ settleMonth(month:$m){ month accounts settled alreadySettled locked charged totalCharged frozen } }`;
const STATEMENT = `query($a:Int!,$m:String!){ statement(appId:$a, month:$m){
  appId month openingBalance credits debits closingBalance billCount recurringCharge arrears verified settlementBillId } }`;

describe('monthly settlement', () => {
  let db: TestDatabase;
  let svc: Service;
  let svc2: Service;

  async function maxBillId(appId: number): Promise<number> {
    const r = await db.pool.query('SELECT COALESCE(max(id), 0)::bigint AS m FROM bill WHERE app_id = $1', [appId]);
    return Number(r.rows[0].m);
  }

  /**
   * Moves an app's bills after `afterId` to `when` (a minute apart, in id order, so the ledger's
   * order and time agree; its entitlements, read from the pays' bills, move with them); the account opens on
   * April 1st.
   */
  async function backdate(appId: number, afterId: number, when: string): Promise<void> {
    await db.pool.query(
      `UPDATE bill SET created_at = $3::timestamptz + (id - $2 - 1) * interval '1 minute' WHERE app_id = $1 AND id > $2`,
      [appId, afterId, when],
    );
    await db.pool.query(`UPDATE account SET created_at = '2024-04-01Z' WHERE app_id = $1`, [appId]);
  }

  /** An account funded and subscribed (db-small × quantity) in April 2024. */
  async function aprilSubscriber(appId: number, funds: number, quantity: number): Promise<void> {
    await fundedAccount(svc, appId, funds);
    ok(await svc.gql(PAY, { input: { orderNo: orderNo('sub'), appId, items: [{ name: 'db-small', quantity }] } }));
    await backdate(appId, 0, '2024-04-20T10:00:00Z');
  }

  async function snapshot() {
    const q = async (sql: string) => (await db.pool.query(sql)).rows;
    return {
      bills: await q('SELECT count(*)::int AS n FROM bill'),
      statements: await q('SELECT * FROM statement ORDER BY app_id, month'),
      accounts: await q('SELECT app_id, balance, frozen, freeze_reason, version FROM account ORDER BY app_id'),
    };
  }

  beforeAll(async () => {
    ({
      db,
      services: [svc, svc2],
    } = await openLedger({}, {}));
    ok(await svc.gql(SET_PRICE, { i: { name: 'db-small', price: 1_500, billing: 'MONTHLY' } }));
    ok(await svc.gql(SET_PRICE, { i: { name: 'web-monthly', price: 400, billing: 'MONTHLY' } }));
  });

  afterAll(() => closeLedger(db, [svc, svc2]));

  it('a month of recharges, pays, a rollback and a MONTHLY subscription: the right statement and one SETTLEMENT bill', async () => {
    const app = 501;
    await aprilSubscriber(app, 10_000, 2); // April: 10,000 in, 2 × 1,500 subscribed: 7,000 left
    const april = await maxBillId(app);
    // May: +5,000; -700; -300 rolled back (+300); a MONTHLY item bought in May (-400); a refused pay.
    ok(await svc.gql(RECHARGE, { input: { orderNo: orderNo('r'), appId: app, amount: 5_000 } }));
    ok(await svc.gql(PAY, { input: { orderNo: orderNo('p'), appId: app, amount: 700 } }));
    const undone = { orderNo: orderNo('p'), appId: app, amount: 300 };
    ok(await svc.gql(PAY, { input: undone }));
    ok(await svc.gql(ROLLBACK, { input: { orderNo: orderNo('rb'), appId: app, payOrderNo: undone.orderNo } }));
    ok(
      await svc.gql(PAY, {
        input: { orderNo: orderNo('w'), appId: app, items: [{ name: 'web-monthly', quantity: 1 }] },
      }),
    );
    expect(
      errorOf(await svc.gql(PAY, { input: { orderNo: orderNo('big'), appId: app, amount: 1_000_000 } })).code,
    ).toBe('INSUFFICIENT_BALANCE');
    await backdate(app, april, '2024-05-10T10:00:00Z');

    const report = ok(await svc.gql(SETTLE, { m: '2024-05' })).settleMonth;
    expect(report).toEqual({
      month: '2024-05',
      accounts: 1,
      settled: 1,
      alreadySettled: 0,
      locked: 0,
      charged: 1,
      totalCharged: 3_000, // the April subscription; the one bought in May was paid by its purchase
      frozen: 0,
    });
    const bills = await db.pool.query(
      `SELECT bill_id, order_no, amount, old_balance, new_balance, status FROM bill WHERE app_id = $1 AND channel = 'SETTLEMENT'`,
      [app],
    );
    expect(bills.rows).toEqual([
      {
        bill_id: expect.any(Number),
        order_no: 'settle:2024-05',
        amount: -3_000,
        old_balance: 10_900,
        new_balance: 7_900,
        status: 'SUCCESS',
      },
    ]);
    const statement = ok(await svc.gql(STATEMENT, { a: app, m: '2024-05' })).statement;
    expect(statement).toEqual({
      appId: app,
      month: '2024-05',
      openingBalance: 7_000,
      credits: 5_300,
      debits: 1_400,
      closingBalance: 10_900,
      billCount: 5,
      recurringCharge: 3_000,
      arrears: 0,
      verified: true,
      settlementBillId: bills.rows[0].bill_id,
    });
    const acc = await db.pool.query('SELECT balance, frozen FROM account WHERE app_id = $1', [app]);
    expect(acc.rows[0]).toEqual({ balance: 7_900, frozen: false });
  });

  it('a second run (CLI) and concurrent runs on two instances change nothing', async () => {
    const before = await snapshot();
    const again = await runCli(db.url, ['settle', '--month', '2024-05']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/new statements\s+0\n/);
    expect(again.stdout).toMatch(/already settled\s+1\n/);
    expect(await snapshot()).toEqual(before);

    // June, settled by four runs at once on two instances.
    for (const app of [511, 512, 513, 514]) await aprilSubscriber(app, 5_000, 1);
    const runs = await Promise.all([svc, svc2, svc, svc2].map((s) => s.gql(SETTLE, { m: '2024-06' })));
    const reports = runs.map((r) => ok(r).settleMonth);
    const sum = (k: string) => reports.reduce((n, r) => n + r[k], 0);
    expect(sum('settled')).toBe(5);
    expect(sum('locked')).toBe(0);
    expect(sum('totalCharged')).toBe(3_400 + 4 * 1_500); // 501: 2 × 1,500 + 400 (now a whole month old)
    const statements = await db.pool.query(`SELECT app_id FROM statement WHERE month = '2024-06' ORDER BY app_id`);
    expect(statements.rows.map((r) => r.app_id)).toEqual([501, 511, 512, 513, 514]);
    const charges = await db.pool.query(
      `SELECT app_id, amount FROM bill WHERE channel = 'SETTLEMENT' AND order_no = 'settle:2024-06' ORDER BY app_id`,
    );
    expect(charges.rows).toEqual([
      { app_id: 501, amount: -3_400 },
      ...[511, 512, 513, 514].map((app_id) => ({ app_id, amount: -1_500 })),
    ]);
    const balances = await db.pool.query(`SELECT balance FROM account WHERE app_id IN (511, 512, 513, 514)`);
    expect(balances.rows.map((r) => r.balance)).toEqual([2_000, 2_000, 2_000, 2_000]);

    const settled = await snapshot();
    ok(await svc2.gql(SETTLE, { m: '2024-06' }));
    expect(await snapshot()).toEqual(settled);
  });

  it('an account short of money is charged nothing, frozen with reason arrears, the sum recorded', async () => {
    const app = 520;
    await aprilSubscriber(app, 2_000, 1); // 500 left, 1,500 due each month
    const report = ok(await svc.gql(SETTLE, { m: '2024-05' })).settleMonth;
    // 511-514 (subscribed in April, so far settled for June only) are settled for May now too and can pay.
    expect(report).toMatchObject({
      accounts: 6,
      settled: 5,
      alreadySettled: 1,
      charged: 4,
      totalCharged: 4 * 1_500,
      frozen: 1,
    });
    const bills = await db.pool.query(
      `SELECT bill_id, amount, status, ret_code FROM bill WHERE app_id = $1 AND channel = 'SETTLEMENT'`,
      [app],
    );
    expect(bills.rows).toEqual([{ bill_id: expect.any(Number), amount: -1_500, status: 'FAILED', ret_code: 3 }]);
    const statement = ok(await svc.gql(STATEMENT, { a: app, m: '2024-05' })).statement;
    expect(statement).toMatchObject({
      openingBalance: 500,
      closingBalance: 500,
      billCount: 0,
      recurringCharge: 0,
      arrears: 1_500,
      verified: true,
      settlementBillId: bills.rows[0].bill_id,
    });
    const acc = await db.pool.query('SELECT balance, frozen, freeze_reason FROM account WHERE app_id = $1', [app]);
    expect(acc.rows[0]).toEqual({ balance: 500, frozen: true, freeze_reason: 'arrears' });
  });

  it('a month that has not ended, or is not a month, is refused', async () => {
    const now = new Date();
    const current = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    expect(errorOf(await svc.gql(SETTLE, { m: current }))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'month' });
    expect(errorOf(await svc.gql(SETTLE, { m: '2024-13' }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'month',
    });
    expect(await db.pool.query(`SELECT 1 FROM statement WHERE month = $1`, [current])).toMatchObject({ rowCount: 0 });
  });
});
