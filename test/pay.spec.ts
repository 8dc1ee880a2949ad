import { TestDatabase } from './support/database';
import { errorOf, fundedAccount, ok, orderNo, PAY, RECHARGE, ROLLBACK } from './support/ledger';
import { Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

const SET_PRICE = `mutation($i: SetPriceInput!) { setPrice(input: $i) { name price billing } }`;
const ENTITLEMENTS = `query($a: Int!, $active: Boolean) { entitlements(appId: $a, active: $active) { name quantity billing billId active endedAt } }`;

describe('recharge, pay and rollback', () => {
  let db: TestDatabase;
  let svc: Service;

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger());
  });

  afterAll(() => closeLedger(db, [svc]));

  const balanceOf = async (appId: number) =>
    Number((await db.pool.query('SELECT balance FROM account WHERE app_id = $1', [appId])).rows[0].balance);
  const billCount = async (appId: number) =>
    (await db.pool.query('SELECT count(*)::int AS n FROM bill WHERE app_id = $1', [appId])).rows[0].n as number;

  it('100 concurrent distinct pays of 30 on a balance of 1000: exactly 33 succeed, balance 10', async () => {
    await fundedAccount(svc, 201, 1000);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        svc.gql(PAY, { input: { orderNo: orderNo(`c${i}`), appId: 201, amount: 30 } }),
      ),
    );
    const okCount = results.filter((r) => r.data?.pay).length;
    const refused = results.filter((r) => r.errors?.[0]?.extensions.code === 'INSUFFICIENT_BALANCE').length;
    expect(okCount).toBe(33);
    expect(refused).toBe(67);
    expect(await balanceOf(201)).toBe(10);
    for (const r of results.filter((x) => x.data?.pay)) expect(r.data!.pay.account.balance).toBeGreaterThanOrEqual(10);
    const bills = await db.pool.query(
      `SELECT status, count(*)::int AS n FROM bill WHERE app_id = 201 AND channel = 'PAY' GROUP BY status ORDER BY status`,
    );
    expect(bills.rows).toEqual([
      { status: 'FAILED', n: 67 },
      { status: 'SUCCESS', n: 33 },
    ]);
  });

  it('concurrent pays on one account are batched: fewer transactions than pays, each pay its own bill and answer', async () => {
    await fundedAccount(svc, 231, 100_000);
    const inputs = Array.from({ length: 60 }, (_, i) => ({
      orderNo: orderNo(`batch${i}`),
      appId: 231,
      amount: 10 + i,
    }));
    const answers = (await Promise.all(inputs.map((input) => svc.gql(PAY, { input })))).map((r) => ok(r).pay);
    answers.forEach((a, i) => {
      expect(a.replayed).toBe(false);
      expect(a.bill).toMatchObject({ orderNo: inputs[i].orderNo, amount: -inputs[i].amount });
      expect(a.bill.oldBalance + a.bill.amount).toBe(a.bill.newBalance);
    });
    // The bills of one batch share their inserting transaction (xmin).
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS bills, count(DISTINCT xmin::text)::int AS transactions
         FROM bill WHERE app_id = 231 AND channel = 'PAY'`,
    );
    expect(rows[0].bills).toBe(60);
    expect(rows[0].transactions).toBeLessThan(60);
    expect(await balanceOf(231)).toBe(100_000 - inputs.reduce((s, i) => s + i.amount, 0));
  });

  it('amounts above 2^31 round-trip exactly through GraphQL, TypeORM and PostgreSQL', async () => {
    await fundedAccount(svc, 202, 0);
    const big = 2 ** 52 + 12345; // well above 2^31, below 2^53
    const r = ok(await svc.gql(RECHARGE, { input: { orderNo: orderNo('big'), appId: 202, amount: big } })).recharge;
    expect(r.bill.amount).toBe(big);
    expect(r.account.balance).toBe(big);
    const p = ok(await svc.gql(PAY, { input: { orderNo: orderNo('bigpay'), appId: 202, amount: 2 ** 31 + 7 } })).pay;
    expect(p.account.balance).toBe(big - (2 ** 31 + 7));
    const raw = await db.pool.query('SELECT balance::text AS b FROM account WHERE app_id = 202');
    expect(raw.rows[0].b).toBe(String(big - (2 ** 31 + 7)));
    const read = ok(await svc.gql(`query { account(appId: 202) { balance available } }`)).account;
    expect(read).toEqual({ balance: big - (2 ** 31 + 7), available: big - (2 ** 31 + 7) });
  });

  describe('bad input gets INVALID_ARGUMENT naming the field and changes nothing', () => {
    const WEB = { name: 'web', quantity: 1 };
    const cases: [string, Record<string, unknown>, string][] = [
      ['zero amount', { amount: 0 }, 'amount'],
      ['negative amount', { amount: -5 }, 'amount'],
      ['fractional amount', { amount: 1.5 }, 'amount'],
      ['amount of 2^53', { amount: 2 ** 53 }, 'amount'],
      ['both items and amount', { amount: 5, items: [{ name: 'web', quantity: 1 }] }, 'items'],
      ['neither items nor amount', {}, 'items'],
      ['unknown item', { items: [{ name: 'no-such-device', quantity: 1 }] }, 'items[0].name'],
      ['quantity 0', { items: [{ name: 'web', quantity: 0 }] }, 'items[0].quantity'],
      ['quantity over 10000', { items: [{ name: 'web', quantity: 10001 }] }, 'items[0].quantity'],
      ['a later line with quantity 0', { items: [WEB, { name: 'web', quantity: 0 }] }, 'items[1].quantity'],
      ['empty item name', { items: [{ name: '', quantity: 1 }] }, 'items[0].name'],
      ['item name of 129 characters', { items: [{ name: 'n'.repeat(129), quantity: 1 }] }, 'items[0].name'],
      ['a later unknown item', { items: [WEB, { name: 'nope', quantity: 1 }] }, 'items[1].name'],
      ['a priced total over 2^53-1', { items: [{ name: 'huge', quantity: 10000 }] }, 'items'],
      ['two lines whose total passes 2^53-1', { items: [{ name: 'huge', quantity: 1 }, WEB] }, 'items'],
      ['empty orderNo', { orderNo: '', amount: 5 }, 'orderNo'],
      ['orderNo of 65 characters', { orderNo: 'x'.repeat(65), amount: 5 }, 'orderNo'],
      ['orderNo with a space', { orderNo: 'bad order', amount: 5 }, 'orderNo'],
      ['orderNo with unicode', { orderNo: 'ordér-1', amount: 5 }, 'orderNo'],
    ];

    beforeAll(async () => {
      await fundedAccount(svc, 203, 1_000);
      ok(await svc.gql(SET_PRICE, { i: { name: 'web', price: 100, billing: 'ONE_TIME', info: 'web server' } }));
      ok(await svc.gql(SET_PRICE, { i: { name: 'huge', price: 2 ** 53 - 1, billing: 'ONE_TIME', info: 'the most' } }));
    });

    it.each(cases)('%s', async (_name, patch, field) => {
      const before = await db.pool.query('SELECT balance, version FROM account WHERE app_id = 203');
      const bills = await billCount(203);
      const input = { orderNo: orderNo('bad'), appId: 203, ...patch };
      const r = await svc.gql(PAY, { input });
      const err = errorOf(r);
      expect(err.code).toBe('INVALID_ARGUMENT');
      expect(err.retCode).toBe(6);
      expect(err.field).toBe(`input.${field}`);
      expect(r.errors![0].message).toContain(field.split('[')[0]);
      expect((await db.pool.query('SELECT balance, version FROM account WHERE app_id = 203')).rows).toEqual(
        before.rows,
      );
      expect(await billCount(203)).toBe(bills);
      const dedupe = await db.pool.query('SELECT count(*)::int AS n FROM idempotency_key WHERE app_id = 203');
      expect(dedupe.rows[0].n).toBe(1); // only the funding recharge
    });
  });

  it('a pay by items debits the priced total, keeps the unit prices and delivers entitlements', async () => {
    await fundedAccount(svc, 204, 10_000);
    ok(await svc.gql(SET_PRICE, { i: { name: 'db', price: 250, billing: 'MONTHLY', info: 'database' } }));
    ok(await svc.gql(SET_PRICE, { i: { name: 'web', price: 100, billing: 'ONE_TIME', info: 'web server' } }));
    const r = ok(
      await svc.gql(PAY, {
        input: {
          orderNo: orderNo('items'),
          appId: 204,
          items: [
            { name: 'web', quantity: 3 },
            { name: 'db', quantity: 2 },
          ],
        },
      }),
    ).pay;
    expect(r.bill.amount).toBe(-(3 * 100 + 2 * 250));
    expect(r.bill.priceInfo).toEqual({
      items: [
        { name: 'web', quantity: 3, unitPrice: 100, billing: 'ONE_TIME', subtotal: 300 },
        { name: 'db', quantity: 2, unitPrice: 250, billing: 'MONTHLY', subtotal: 500 },
      ],
      total: 800,
    });
    const ents = ok(await svc.gql(ENTITLEMENTS, { a: 204 })).entitlements;
    expect(ents).toEqual([
      { name: 'web', quantity: 3, billing: 'ONE_TIME', billId: r.bill.billId, active: true, endedAt: null },
      { name: 'db', quantity: 2, billing: 'MONTHLY', billId: r.bill.billId, active: true, endedAt: null },
    ]);
  });

  it('a pay by items answers priceInfo and pricing whenever the request selects them (alias, fragment), also on a replay of a first answer that did not', async () => {
    await fundedAccount(svc, 219, 10_000);
    ok(await svc.gql(SET_PRICE, { i: { name: 'cpu', price: 70, billing: 'ONE_TIME', info: 'cpu' } }));
    const items = [{ name: 'cpu', quantity: 2 }];
    const lines = {
      items: [{ name: 'cpu', quantity: 2, unitPrice: 70, billing: 'ONE_TIME', subtotal: 140 }],
      total: 140,
    };
    const typed = { items: [{ name: 'cpu', unitPrice: 70 }], total: 140 };
    const ASKING = `mutation($i: PayInput!) { pay(input: $i) { replayed ...Priced } }
      fragment Priced on MoneyResult { bill { billId p: priceInfo ... on Bill { pricing { items { name unitPrice } total } } } }`;
    const NOT_ASKING = `mutation($i: PayInput!) { pay(input: $i) { replayed bill { billId amount } } }`;

    const asked = ok(await svc.gql(ASKING, { i: { orderNo: orderNo('sel-1'), appId: 219, items } })).pay;
    expect(asked.bill).toMatchObject({ p: lines, pricing: typed });

    const input = { orderNo: orderNo('sel-2'), appId: 219, items };
    const first = ok(await svc.gql(NOT_ASKING, { i: input })).pay;
    expect(first).toMatchObject({ replayed: false, bill: { amount: -140 } });
    const again = ok(await svc.gql(NOT_ASKING, { i: input })).pay;
    expect(again).toEqual({ ...first, replayed: true });
    const more = ok(await svc.gql(ASKING, { i: input })).pay;
    expect(more).toEqual({ replayed: true, bill: { billId: first.bill.billId, p: lines, pricing: typed } });
  });

  it('debit and delivery are one: when the delivering bill cannot be written nothing is debited or stored', async () => {
    await fundedAccount(svc, 205, 5_000);
    ok(await svc.gql(SET_PRICE, { i: { name: 'web', price: 100, billing: 'ONE_TIME', info: 'web server' } }));
    // Make delivery (the pay's bill, which the entitlements are read from) fail inside the database, after the
    // account's debit, for this app only.
    await db.pool.query(`
      CREATE FUNCTION fail_delivery() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.app_id = 205 AND NEW.price_info ? 'items' THEN RAISE EXCEPTION 'warehouse on fire'; END IF;
      RETURN NEW; END $$;
      CREATE TRIGGER fail_delivery BEFORE INSERT ON bill FOR EACH ROW EXECUTE FUNCTION fail_delivery();`);
    try {
      const input = { orderNo: orderNo('deliver'), appId: 205, items: [{ name: 'web', quantity: 2 }] };
      const r = await svc.gql(PAY, { input });
      const err = errorOf(r);
      expect(err.retCode).toBeLessThan(0);
      expect(r.errors![0].message).not.toContain('warehouse'); // internals never reach the client
      expect(await balanceOf(205)).toBe(5_000);
      const pays = await db.pool.query(`SELECT count(*)::int AS n FROM bill WHERE app_id = 205 AND channel = 'PAY'`);
      expect(pays.rows[0].n).toBe(0);
      const dedupe = await db.pool.query('SELECT count(*)::int AS n FROM idempotency_key WHERE order_no = $1', [
        input.orderNo,
      ]);
      expect(dedupe.rows[0].n).toBe(0);
      // A system error is not stored: once delivery works again the same orderNo goes through.
      await db.pool.query('DROP TRIGGER fail_delivery ON bill');
      const retry = ok(await svc.gql(PAY, { input })).pay;
      expect(retry.replayed).toBe(false);
      expect(retry.account.balance).toBe(4_800);
    } finally {
      await db.pool.query('DROP TRIGGER IF EXISTS fail_delivery ON bill; DROP FUNCTION IF EXISTS fail_delivery()');
    }
  });

  it('rollback restores the balance, shares the billId, ends entitlements; a second one is ALREADY_REVERSED', async () => {
    await fundedAccount(svc, 206, 2_000);
    ok(await svc.gql(SET_PRICE, { i: { name: 'cache', price: 300, billing: 'ONE_TIME', info: 'cache' } }));
    const payNo = orderNo('topay');
    const pay = ok(
      await svc.gql(PAY, { input: { orderNo: payNo, appId: 206, items: [{ name: 'cache', quantity: 2 }] } }),
    ).pay;
    expect(pay.account.balance).toBe(1_400);
    // A price change after the pay must not change what its rollback returns.
    ok(await svc.gql(SET_PRICE, { i: { name: 'cache', price: 999, billing: 'ONE_TIME', info: 'cache' } }));
    const rb = ok(
      await svc.gql(ROLLBACK, { input: { orderNo: orderNo('rb'), appId: 206, payOrderNo: payNo, reason: 'customer' } }),
    ).rollback;
    expect(rb.bill).toMatchObject({ channel: 'ROLLBACK', amount: 600, billId: pay.bill.billId, status: 'SUCCESS' });
    expect(rb.account.balance).toBe(2_000);
    const pair = ok(
      await svc.gql(`query($a:Int!,$b:SafeInt!){ bill(appId:$a, billId:$b){ channel amount } }`, {
        a: 206,
        b: pay.bill.billId,
      }),
    ).bill;
    expect(pair).toEqual([
      { channel: 'PAY', amount: -600 },
      { channel: 'ROLLBACK', amount: 600 },
    ]);
    const ents = ok(await svc.gql(ENTITLEMENTS, { a: 206 })).entitlements;
    expect(ents).toHaveLength(1);
    expect(ents[0].active).toBe(false);
    expect(ents[0].endedAt).not.toBeNull();
    const again = await svc.gql(ROLLBACK, { input: { orderNo: orderNo('rb2'), appId: 206, payOrderNo: payNo } });
    expect(errorOf(again)).toMatchObject({ code: 'ALREADY_REVERSED', retCode: 9 });
    expect(await balanceOf(206)).toBe(2_000);
  });

  it('10 concurrent rollbacks of one pay (distinct orderNos): exactly one refunds', async () => {
    await fundedAccount(svc, 207, 1_000);
    const payNo = orderNo('p');
    ok(await svc.gql(PAY, { input: { orderNo: payNo, appId: 207, amount: 400 } }));
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        svc.gql(ROLLBACK, { input: { orderNo: orderNo('rbc'), appId: 207, payOrderNo: payNo } }),
      ),
    );
    expect(results.filter((r) => r.data?.rollback)).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions.code === 'ALREADY_REVERSED')).toHaveLength(9);
    expect(await balanceOf(207)).toBe(1_000);
  });

  it('rollback of an unknown or failed pay answers NOT_FOUND', async () => {
    await fundedAccount(svc, 208, 10);
    const failedNo = orderNo('fail');
    expect(errorOf(await svc.gql(PAY, { input: { orderNo: failedNo, appId: 208, amount: 11 } })).code).toBe(
      'INSUFFICIENT_BALANCE',
    );
    for (const payOrderNo of [failedNo, 'never-paid']) {
      const r = await svc.gql(ROLLBACK, { input: { orderNo: orderNo('rbx'), appId: 208, payOrderNo } });
      expect(errorOf(r)).toMatchObject({ code: 'NOT_FOUND', retCode: 1 });
    }
    expect(await balanceOf(208)).toBe(10);
  });

  it('a frozen account refuses pays with a FAILED bill (retCode 4) but still books recharges', async () => {
    await fundedAccount(svc, 209, 500);
    ok(await svc.gql(`mutation { freezeAccount(appId: 209, reason: "fraud check") { frozen freezeReason } }`));
    const no = orderNo('frozen');
    const r = await svc.gql(PAY, { input: { orderNo: no, appId: 209, amount: 5 } });
    expect(errorOf(r)).toMatchObject({ code: 'ACCOUNT_FROZEN', retCode: 4 });
    const bill = await db.pool.query(
      'SELECT status, ret_code, old_balance, new_balance FROM bill WHERE order_no = $1',
      [no],
    );
    expect(bill.rows).toEqual([{ status: 'FAILED', ret_code: 4, old_balance: 500, new_balance: 500 }]);
    const rc = ok(await svc.gql(RECHARGE, { input: { orderNo: orderNo('rcf'), appId: 209, amount: 5 } })).recharge;
    expect(rc.account).toMatchObject({ balance: 505, frozen: true });
    const un = ok(await svc.gql(`mutation { unfreezeAccount(appId: 209) { frozen freezeReason } }`)).unfreezeAccount;
    expect(un).toEqual({ frozen: false, freezeReason: null });
    expect(
      ok(await svc.gql(PAY, { input: { orderNo: orderNo('thawed'), appId: 209, amount: 5 } })).pay.account.balance,
    ).toBe(500);
  });

  it('a pay on an account that does not exist answers NOT_FOUND', async () => {
    const r = await svc.gql(PAY, { input: { orderNo: orderNo('ghost'), appId: 999_999, amount: 5 } });
    expect(errorOf(r)).toMatchObject({ code: 'NOT_FOUND', retCode: 1 });
  });

  it('the bill records the key label as user, the client IP and the info', async () => {
    await fundedAccount(svc, 210, 100);
    const r = ok(await svc.gql(PAY, { input: { orderNo: orderNo('who'), appId: 210, amount: 1, info: '1 db' } })).pay;
    expect(r.bill).toMatchObject({ user: 'admin', info: '1 db' });
    expect(r.bill.srcIp).toMatch(/127\.0\.0\.1|::1/);
    const named = ok(
      await svc.gql(PAY, { input: { orderNo: orderNo('who2'), appId: 210, amount: 1, user: 'alice' } }),
    ).pay;
    expect(named.bill.user).toBe('alice');
  });
});
