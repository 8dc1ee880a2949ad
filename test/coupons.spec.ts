import { TestDatabase } from './support/database';
import { errorOf, fundedAccount, ok, orderNo, PAY, ROLLBACK } from './support/ledger';
import { Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

const COUPON_FIELDS = 'id appId templateCode discount minSpend status orderNo expiresAt usedByBillId';
const ISSUE = `mutation Issue($input: IssueCouponInput!) { issueCoupon(input: $input) { replayed coupon { ${COUPON_FIELDS} } } }`;
const COUPONS = `query($a: Int!, $s: CouponStatus) { coupons(appId: $a, status: $s) { ${COUPON_FIELDS} } }`;

interface TemplateOpts {
  discount?: number;
  minSpend?: number;
  stock?: number | null;
  perAppLimit?: number;
  validDays?: number;
}

let templateSeq = 0;

describe('coupons', () => {
  let db: TestDatabase;
  let svc: Service;
  let operatorKey: string;

  async function template(opts: TemplateOpts = {}): Promise<string> {
    const code = `T${++templateSeq}-${Date.now().toString(36)}`;
    const input = {
      code,
      name: `template ${code}`,
      discount: 300,
      minSpend: 0,
      stock: null,
      perAppLimit: 1,
      validDays: 30,
      ...opts,
    };
    const created = ok(
      await svc.gql(`mutation($i: CouponTemplateInput!) { createCouponTemplate(input: $i) { code issued stock } }`, {
        i: input,
      }),
    );
    expect(created.createCouponTemplate).toEqual({ code, issued: 0, stock: input.stock });
    return code;
  }

  function issue(appId: number, templateCode: string, no = orderNo('issue')) {
    return svc.gql(ISSUE, { input: { orderNo: no, appId, templateCode } }, operatorKey);
  }

  async function issued(appId: number, templateCode: string): Promise<{ id: string; discount: number }> {
    return ok(await issue(appId, templateCode)).issueCoupon.coupon;
  }

  async function couponRow(appId: number, id: string) {
    const r = await db.pool.query('SELECT status, used_by_bill_id FROM coupon WHERE app_id = $1 AND id = $2', [
      appId,
      id,
    ]);
    return r.rows[0];
  }

  async function balance(appId: number): Promise<number> {
    const r = await db.pool.query('SELECT balance FROM account WHERE app_id = $1', [appId]);
    return Number(r.rows[0].balance);
  }

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger());
    const key = ok(await svc.gql(`mutation { createApiKey(input: { role: OPERATOR, label: "marketing" }) { key } }`))
      .createApiKey.key;
    operatorKey = key;
  });

  afterAll(() => closeLedger(db, [svc]));

  it('30 concurrent issues of a stock-10 template to 30 apps: exactly 10 coupons, issued = 10', async () => {
    const code = await template({ stock: 10 });
    const apps = Array.from({ length: 30 }, (_, i) => 1001 + i);
    const results = await Promise.all(apps.map((a) => issue(a, code)));
    const granted = results.filter((r) => !r.errors);
    const refused = results.filter((r) => r.errors);
    expect(granted).toHaveLength(10);
    expect(refused).toHaveLength(20);
    for (const r of refused) expect(errorOf(r)).toMatchObject({ code: 'COUPON_UNAVAILABLE', retCode: 7 });
    const coupons = await db.pool.query(
      'SELECT count(*)::int AS n, count(DISTINCT app_id)::int AS apps FROM coupon WHERE template_code = $1',
      [code],
    );
    expect(coupons.rows[0]).toEqual({ n: 10, apps: 10 });
    const tpl = await db.pool.query('SELECT issued FROM coupon_template WHERE code = $1', [code]);
    expect(tpl.rows[0].issued).toBe(10);
    // A refusal changed nothing: the per-app counters count only the coupons granted.
    const quota = await db.pool.query(
      'SELECT COALESCE(sum(issued), 0)::int AS n FROM coupon_quota WHERE template_code = $1',
      [code],
    );
    expect(quota.rows[0].n).toBe(10);
  });

  it('20 concurrent issues with the same orderNo: one coupon, every answer is that coupon', async () => {
    const code = await template({ stock: 100, perAppLimit: 5 });
    const no = orderNo('same');
    const results = await Promise.all(Array.from({ length: 20 }, () => issue(2001, code, no)));
    const answers = results.map((r) => ok(r).issueCoupon);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    expect(answers.filter((a) => a.replayed)).toHaveLength(19);
    for (const a of answers) expect(a.coupon).toEqual(answers[0].coupon);
    expect(answers[0].coupon).toMatchObject({ appId: 2001, templateCode: code, status: 'ISSUED', orderNo: no });
    const rows = await db.pool.query('SELECT id FROM coupon WHERE app_id = 2001 AND template_code = $1', [code]);
    expect(rows.rows.map((r) => String(r.id))).toEqual([answers[0].coupon.id]);
    const tpl = await db.pool.query('SELECT issued FROM coupon_template WHERE code = $1', [code]);
    expect(tpl.rows[0].issued).toBe(1);
  });

  it('per-app limit 2, 10 concurrent distinct issues to one app: exactly 2', async () => {
    const code = await template({ perAppLimit: 2 });
    const results = await Promise.all(Array.from({ length: 10 }, () => issue(3001, code)));
    expect(results.filter((r) => !r.errors)).toHaveLength(2);
    const refused = results.filter((r) => r.errors);
    expect(refused).toHaveLength(8);
    for (const r of refused) expect(errorOf(r)).toMatchObject({ code: 'COUPON_UNAVAILABLE', retCode: 7 });
    const rows = await db.pool.query(
      'SELECT count(*)::int AS n FROM coupon WHERE app_id = 3001 AND template_code = $1',
      [code],
    );
    expect(rows.rows[0].n).toBe(2);
    const tpl = await db.pool.query('SELECT issued FROM coupon_template WHERE code = $1', [code]);
    expect(tpl.rows[0].issued).toBe(2);
  });

  it('two concurrent pays with the same coupon: one gets the discount, the other COUPON_UNAVAILABLE', async () => {
    await fundedAccount(svc, 4001, 10_000);
    const coupon = await issued(4001, await template({ discount: 300 }));
    const pays = await Promise.all(
      [1, 2].map(() =>
        svc.gql(PAY, { input: { orderNo: orderNo('cpay'), appId: 4001, amount: 1_000, couponId: coupon.id } }),
      ),
    );
    const paid = pays.filter((r) => !r.errors);
    const refused = pays.filter((r) => r.errors);
    expect(paid).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(errorOf(refused[0])).toMatchObject({ code: 'COUPON_UNAVAILABLE', retCode: 7 });
    const bill = ok(paid[0]).pay.bill;
    expect(bill).toMatchObject({ amount: -700, status: 'SUCCESS' });
    expect(bill.priceInfo).toMatchObject({ couponId: coupon.id, discount: 300, total: 1_000 });
    expect(await balance(4001)).toBe(10_000 - 700);
    expect(await couponRow(4001, coupon.id)).toEqual({ status: 'USED', used_by_bill_id: bill.billId });
  });

  it('pay with a coupon, roll it back, pay again with it: works', async () => {
    await fundedAccount(svc, 4002, 5_000);
    const coupon = await issued(4002, await template({ discount: 300, minSpend: 500 }));
    const payNo = orderNo('p1');
    const first = ok(
      await svc.gql(PAY, { input: { orderNo: payNo, appId: 4002, amount: 1_000, couponId: coupon.id } }),
    ).pay;
    expect(first.account.balance).toBe(4_300);
    const back = ok(
      await svc.gql(ROLLBACK, { input: { orderNo: orderNo('rb'), appId: 4002, payOrderNo: payNo } }),
    ).rollback;
    expect(back.bill).toMatchObject({ amount: 700, billId: first.bill.billId });
    expect(back.account.balance).toBe(5_000);
    expect(await couponRow(4002, coupon.id)).toEqual({ status: 'ISSUED', used_by_bill_id: null });
    const listed = ok(await svc.gql(COUPONS, { a: 4002, s: 'ISSUED' })).coupons;
    expect(listed.map((c: { id: string }) => c.id)).toEqual([coupon.id]);
    const second = ok(
      await svc.gql(PAY, { input: { orderNo: orderNo('p2'), appId: 4002, amount: 1_000, couponId: coupon.id } }),
    ).pay;
    expect(second.bill.amount).toBe(-700);
    expect(second.account.balance).toBe(4_300);
    expect(await couponRow(4002, coupon.id)).toEqual({ status: 'USED', used_by_bill_id: second.bill.billId });
  });

  it('an expired coupon shows EXPIRED and is refused', async () => {
    await fundedAccount(svc, 4003, 5_000);
    const coupon = await issued(4003, await template({ validDays: 1 }));
    await db.pool.query(`UPDATE coupon SET expires_at = now() - interval '1 minute' WHERE app_id = 4003 AND id = $1`, [
      coupon.id,
    ]);
    const expired = ok(await svc.gql(COUPONS, { a: 4003, s: 'EXPIRED' })).coupons;
    expect(expired).toEqual([expect.objectContaining({ id: coupon.id, status: 'EXPIRED' })]);
    expect(ok(await svc.gql(COUPONS, { a: 4003, s: 'ISSUED' })).coupons).toEqual([]);
    const pay = await svc.gql(PAY, {
      input: { orderNo: orderNo('late'), appId: 4003, amount: 1_000, couponId: coupon.id },
    });
    expect(errorOf(pay)).toMatchObject({ code: 'COUPON_UNAVAILABLE', retCode: 7 });
    expect(await balance(4003)).toBe(5_000);
    expect(await couponRow(4003, coupon.id)).toEqual({ status: 'ISSUED', used_by_bill_id: null });
  });

  it('an APP key cannot issue coupons (FORBIDDEN)', async () => {
    const code = await template();
    ok(await svc.gql(`mutation { openAccount(appId: 5001) { appId } }`)); // an APP key needs its account
    const appKey = ok(
      await svc.gql(`mutation { createApiKey(input: { role: APP, appId: 5001, label: "app 5001" }) { key } }`),
    ).createApiKey.key;
    const r = await svc.gql(ISSUE, { input: { orderNo: orderNo('self'), appId: 5001, templateCode: code } }, appKey);
    expect(errorOf(r)).toMatchObject({ code: 'FORBIDDEN', retCode: 2 });
    const rows = await db.pool.query('SELECT count(*)::int AS n FROM coupon WHERE app_id = 5001');
    expect(rows.rows[0].n).toBe(0);
  });

  it('a pay refused for balance leaves its coupon ISSUED', async () => {
    await fundedAccount(svc, 4004, 100);
    const coupon = await issued(4004, await template({ discount: 300 }));
    const no = orderNo('poor');
    const pay = await svc.gql(PAY, { input: { orderNo: no, appId: 4004, amount: 1_000, couponId: coupon.id } });
    expect(errorOf(pay)).toMatchObject({ code: 'INSUFFICIENT_BALANCE', retCode: 3 });
    const failed = await db.pool.query('SELECT status, amount FROM bill WHERE app_id = 4004 AND order_no = $1', [no]);
    expect(failed.rows).toEqual([{ status: 'FAILED', amount: -700 }]);
    expect(await couponRow(4004, coupon.id)).toEqual({ status: 'ISSUED', used_by_bill_id: null });
    expect(await balance(4004)).toBe(100);
  });
});
