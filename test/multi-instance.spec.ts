import { TestDatabase } from './support/database';
import { fundedAccount, orderNo, PAY } from './support/ledger';
import { GqlResult, Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

/**
 * SPEC §2: any number of instances on one database, every guarantee intact.
 * Two service processes share one database; each of 50 pays is sent to both
 * at the same moment. Dedupe lives in PostgreSQL, so each order takes effect
 * once and both instances answer it identically.
 */
describe('two instances on one database', () => {
  let db: TestDatabase;
  let a: Service;
  let b: Service;

  beforeAll(async () => {
    ({
      db,
      services: [a, b],
    } = await openLedger({}, {}));
  });

  afterAll(() => closeLedger(db, [a, b]));

  it('the same 50 orderNos sent to both at once: each takes effect once, all answers agree', async () => {
    // Five accounts of 10 orders; account 505 cannot afford all of its own,
    // so stored business errors must agree across instances too.
    const balances: Record<number, number> = { 501: 10_000, 502: 10_000, 503: 10_000, 504: 10_000, 505: 1_000 };
    for (const [appId, balance] of Object.entries(balances)) await fundedAccount(a, Number(appId), balance);
    const orders = Array.from({ length: 50 }, (_, i) => ({
      orderNo: orderNo('multi'),
      appId: 501 + (i % 5),
      amount: 150 + i,
      info: `order ${i}`,
    }));

    const answers = await Promise.all(
      orders.map((input) => Promise.all([a.gql(PAY, { input }), b.gql(PAY, { input })])),
    );

    let applied = 0;
    for (const [i, [ra, rb]] of answers.entries()) {
      const input = orders[i];
      // Both answers are the same outcome: the same bill, or the same stored error.
      expect(outcome(ra)).toEqual(outcome(rb));
      const bills = await db.pool.query(`SELECT id, status, amount FROM bill WHERE app_id = $1 AND order_no = $2`, [
        input.appId,
        input.orderNo,
      ]);
      expect(bills.rows).toHaveLength(1);
      if (ra.data) {
        applied++;
        // Exactly one of the two ran it; the other replayed the stored answer.
        expect([ra.data.pay.replayed, rb.data!.pay.replayed].sort()).toEqual([false, true]);
        expect(bills.rows[0]).toMatchObject({ status: 'SUCCESS', amount: -input.amount });
        expect(String(bills.rows[0].id)).toBe(ra.data.pay.bill.id);
      } else {
        expect(ra.errors![0].extensions.code).toBe('INSUFFICIENT_BALANCE');
        expect([ra.errors![0].extensions.replayed, rb.errors![0].extensions.replayed].filter(Boolean)).toHaveLength(1);
        expect(bills.rows[0]).toMatchObject({ status: 'FAILED' });
      }
    }
    // The poor account paid some and refused the rest; the rich ones paid all.
    expect(applied).toBeGreaterThan(40);
    expect(applied).toBeLessThan(50);

    for (const [appId, balance] of Object.entries(balances)) {
      const paid = orders
        .filter((o, i) => o.appId === Number(appId) && answers[i][0].data)
        .reduce((sum, o) => sum + o.amount, 0);
      const acc = await db.pool.query('SELECT balance FROM account WHERE app_id = $1', [appId]);
      expect(Number(acc.rows[0].balance)).toBe(balance - paid);
    }
  });
});

/** What an answer says, without the `replayed` flag (which differs by design). */
function outcome(r: GqlResult): unknown {
  if (r.data) {
    const { replayed: _r, ...rest } = r.data.pay;
    return { data: rest };
  }
  const { replayed: _r, ...ext } = r.errors![0].extensions;
  return { error: r.errors![0].message, ext };
}
