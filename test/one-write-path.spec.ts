import { TestDatabase } from './support/database';
import {
  CAPTURE,
  errorOf,
  fundedAccount,
  HOLD,
  HOLD_FIELDS,
  MONEY_FIELDS,
  ok,
  orderNo,
  PAY,
  RECHARGE,
  RELEASE,
  ROLLBACK,
} from './support/ledger';
import { GqlResult, Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

const COUPON_FIELDS = 'id appId templateCode discount minSpend status orderNo expiresAt usedByBillId createdAt';
const PAY_COUPON = `mutation Pay($input: PayInput!) { pay(input: $input) { ${MONEY_FIELDS} coupon { ${COUPON_FIELDS} } } }`;
const CAPTURE_HOLD = `mutation Capture($input: CaptureHoldInput!) { captureHold(input: $input) { ${MONEY_FIELDS} hold { ${HOLD_FIELDS} } coupon { id } } }`;
const ISSUE = `mutation Issue($input: IssueCouponInput!) { issueCoupon(input: $input) { replayed coupon { ${COUPON_FIELDS} } } }`;

/** The answer without its `replayed` flag(s), as JSON text: what a replay must repeat byte for byte. */
function withoutReplayed(r: GqlResult): string {
  return JSON.stringify(r, (k, v) => (k === 'replayed' || (k === 'status' && typeof v === 'number') ? undefined : v));
}

/**
 * The one write path seen from a client: every mutation's replay is the first
 * answer byte for byte (but `replayed`), a refused pay says which FAILED bill
 * recorded it and what was available, captureHold answers the hold and a pay
 * with a coupon the coupon, and concurrent mutations of any kind on one
 * account share their statements (batches).
 */
describe('one write path', () => {
  let db: TestDatabase;
  let svc: Service;

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger({ HOLD_EXPIRY_INTERVAL_MS: '0' }));
    ok(
      await svc.gql(
        `mutation { setPrice(input: {name: "owp-web", price: 1500, billing: ONE_TIME, info: "web"}) { name } }`,
      ),
    );
    ok(
      await svc.gql(
        `mutation { createCouponTemplate(input: { code: "OWP", name: "owp", discount: 500, minSpend: 0, perAppLimit: 10, validDays: 30 }) { code } }`,
      ),
    );
  });
  afterAll(() => closeLedger(db, [svc]));

  /** Sends the same request twice; the second must be the first's answer, marked replayed. */
  async function twice(query: string, input: Record<string, unknown>): Promise<GqlResult> {
    const first = await svc.gql(query, { input });
    const again = await svc.gql(query, { input });
    expect(withoutReplayed(again)).toBe(withoutReplayed(first));
    const flag = (r: GqlResult) =>
      r.errors ? r.errors[0].extensions.replayed : (Object.values(r.data!)[0] as { replayed: boolean }).replayed;
    expect([flag(first) ?? false, flag(again)]).toEqual([false, true]);
    return first;
  }

  it('every mutation replays its first answer byte for byte, refusals included', async () => {
    await fundedAccount(svc, 801, 10_000);
    await twice(RECHARGE, { orderNo: orderNo('r'), appId: 801, amount: 100 });
    const paid = ok(await twice(PAY, { orderNo: orderNo('p'), appId: 801, amount: 300 })).pay;
    await twice(PAY, { orderNo: orderNo('i'), appId: 801, items: [{ name: 'owp-web', quantity: 2 }] });
    await twice(PAY, { orderNo: orderNo('f'), appId: 801, amount: 1_000_000 });
    await twice(ROLLBACK, { orderNo: orderNo('rb'), appId: 801, payOrderNo: paid.bill.orderNo });
    await twice(ROLLBACK, { orderNo: orderNo('rb'), appId: 801, payOrderNo: 'no-such-pay' });
    const coupon = ok(await twice(ISSUE, { orderNo: orderNo('ic'), appId: 801, templateCode: 'OWP' })).issueCoupon
      .coupon;
    await twice(PAY_COUPON, { orderNo: orderNo('pc'), appId: 801, amount: 2000, couponId: coupon.id });
    const held = ok(await twice(HOLD, { orderNo: orderNo('h'), appId: 801, amount: 700, ttlSeconds: 600 })).hold.hold;
    await twice(CAPTURE_HOLD, { orderNo: orderNo('c'), appId: 801, holdId: held.id, amount: 200 });
    await twice(CAPTURE, { orderNo: orderNo('c'), appId: 801, holdId: held.id }); // HOLD_NOT_OPEN, stored
    const held2 = ok(
      await svc.gql(HOLD, { input: { orderNo: orderNo('h'), appId: 801, amount: 100, ttlSeconds: 600 } }),
    ).hold.hold;
    await twice(RELEASE, { orderNo: orderNo('rl'), appId: 801, holdId: held2.id });
  });

  it("a refused pay's error names its FAILED bill (billId) and the available balance; the replay repeats them", async () => {
    await fundedAccount(svc, 802, 1_000);
    ok(await svc.gql(HOLD, { input: { orderNo: orderNo('h'), appId: 802, amount: 300, ttlSeconds: 600 } }));
    const input = { orderNo: orderNo('f'), appId: 802, amount: 5_000 };
    const refused = errorOf(await svc.gql(PAY, { input })) as Record<string, unknown>;
    expect(refused).toMatchObject({ code: 'INSUFFICIENT_BALANCE', retCode: 3, available: 700 });
    const { rows } = await db.pool.query(
      `SELECT bill_id, status, ret_code, amount FROM bill WHERE app_id = 802 AND order_no = $1`,
      [input.orderNo],
    );
    expect(rows).toEqual([{ bill_id: refused.billId, status: 'FAILED', ret_code: 3, amount: -5000 }]);
    expect(errorOf(await svc.gql(PAY, { input }))).toEqual({ ...refused, replayed: true });
  });

  it('captureHold answers the hold it captured; a pay with a coupon answers the coupon it used (null otherwise)', async () => {
    await fundedAccount(svc, 803, 5_000);
    const held = ok(await svc.gql(HOLD, { input: { orderNo: orderNo('h'), appId: 803, amount: 900, ttlSeconds: 600 } }))
      .hold.hold;
    const cap = ok(
      await svc.gql(CAPTURE_HOLD, { input: { orderNo: orderNo('c'), appId: 803, holdId: held.id, amount: 400 } }),
    ).captureHold;
    expect(cap.hold).toMatchObject({ id: held.id, status: 'CAPTURED', amount: 900, captured: 400 });
    expect(cap.hold.endedAt).not.toBeNull();
    expect(cap.coupon).toBeNull();

    const coupon = ok(await svc.gql(ISSUE, { input: { orderNo: orderNo('ic'), appId: 803, templateCode: 'OWP' } }))
      .issueCoupon.coupon;
    const paid = ok(
      await svc.gql(PAY_COUPON, { input: { orderNo: orderNo('pc'), appId: 803, amount: 1200, couponId: coupon.id } }),
    ).pay;
    expect(paid.bill.amount).toBe(-700);
    expect(paid.coupon).toMatchObject({ id: coupon.id, status: 'USED', usedByBillId: paid.bill.billId });
    const plain = ok(await svc.gql(PAY_COUPON, { input: { orderNo: orderNo('p'), appId: 803, amount: 10 } })).pay;
    expect(plain.coupon).toBeNull();
  });

  it('concurrent mutations of different kinds on one account are batched: fewer transactions than bills, each its own answer', async () => {
    await fundedAccount(svc, 804, 100_000);
    const calls: Promise<GqlResult>[] = [];
    for (let i = 0; i < 20; i++) {
      calls.push(svc.gql(PAY, { input: { orderNo: orderNo('bp'), appId: 804, amount: 10 + i } }));
      calls.push(svc.gql(HOLD, { input: { orderNo: orderNo('bh'), appId: 804, amount: 5, ttlSeconds: 600 } }));
      calls.push(svc.gql(RECHARGE, { input: { orderNo: orderNo('br'), appId: 804, amount: 3 } }));
    }
    const answers = await Promise.all(calls);
    answers.forEach((a) => expect(a.errors).toBeUndefined());
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS bills, count(DISTINCT xmin::text)::int AS transactions,
              count(DISTINCT channel)::int AS kinds
         FROM bill WHERE app_id = 804 AND order_no NOT LIKE 'fund-%'`,
    );
    expect(rows[0]).toMatchObject({ bills: 60, kinds: 3 });
    expect(rows[0].transactions).toBeLessThan(60);
    const acc = await db.pool.query('SELECT balance, held FROM account WHERE app_id = 804');
    const paid = Array.from({ length: 20 }, (_, i) => 10 + i).reduce((s, n) => s + n, 0);
    expect(acc.rows[0]).toEqual({ balance: 100_000 - paid + 60, held: 100 });
  });
});
