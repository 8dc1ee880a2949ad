import { createHmac } from 'node:crypto';
import { TestDatabase } from './support/database';
import { fundedAccount } from './support/ledger';
import { Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

const SECRET = 'gateway-test-secret-0123456789';

/** What the gateway sends: the fields and their signature (HMAC-SHA256, key=value&... in key order). */
function signed(fields: Record<string, string>, secret = SECRET): Record<string, string> {
  const text = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
  return { ...fields, sign: createHmac('sha256', secret).update(text).digest('hex') };
}

const now = () => String(Math.floor(Date.now() / 1000));

describe('POST /notify/recharge (payment gateway callback)', () => {
  let db: TestDatabase;
  let svc: Service;

  async function notify(
    body: Record<string, string>,
    as: 'form' | 'json' = 'form',
  ): Promise<{ status: number; text: string }> {
    const res = await fetch(`${svc.url}/notify/recharge`, {
      method: 'POST',
      headers: { 'content-type': as === 'form' ? 'application/x-www-form-urlencoded' : 'application/json' },
      body: as === 'form' ? new URLSearchParams(body).toString() : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  }

  async function state(appId: number) {
    const acc = await db.pool.query('SELECT balance, version FROM account WHERE app_id = $1', [appId]);
    const bills = await db.pool.query('SELECT count(*)::int AS n FROM bill WHERE app_id = $1', [appId]);
    const keys = await db.pool.query('SELECT count(*)::int AS n FROM idempotency_key WHERE app_id = $1', [appId]);
    return { account: acc.rows[0], bills: bills.rows[0].n, keys: keys.rows[0].n };
  }

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger({ GATEWAY_SECRET: SECRET }));
  });

  afterAll(() => closeLedger(db, [svc]));

  it('a delivery sent 5 times at once credits once and every one answers success', async () => {
    await fundedAccount(svc, 401, 1_000);
    const body = signed({ agentBillNo: 'HF-20240315-0001', appId: '401', amount: '2500', timestamp: now() });
    const answers = await Promise.all([
      notify(body),
      notify(body, 'json'),
      notify(body),
      notify(body, 'json'),
      notify(body),
    ]);
    expect(answers).toEqual(Array.from({ length: 5 }, () => ({ status: 200, text: 'success' })));
    const bills = await db.pool.query(
      `SELECT channel, amount, status, bill_user FROM bill WHERE app_id = 401 AND order_no = 'HF-20240315-0001'`,
    );
    expect(bills.rows).toEqual([
      { channel: 'RECHARGE', amount: 2500, status: 'SUCCESS', bill_user: 'payment-gateway' },
    ]);
    expect(Number((await state(401)).account.balance)).toBe(3_500);
    // A late retry is answered the same, and still changes nothing.
    expect(await notify(body)).toEqual({ status: 200, text: 'success' });
    expect(Number((await state(401)).account.balance)).toBe(3_500);
  });

  it('bad signature, stale timestamp, missing field, non-integer amount, unknown app: 400 fail, no change', async () => {
    await fundedAccount(svc, 402, 1_000);
    const before = await state(402);
    const good = { agentBillNo: 'HF-bad-1', appId: '402', amount: '700', timestamp: now() };
    const { amount: _omitted, ...noAmount } = good;
    const cases: Record<string, Record<string, string>> = {
      'bad signature': { ...signed(good), amount: '70000' },
      'signed with another secret': signed(good, 'not-the-secret'),
      'stale timestamp': signed({ ...good, timestamp: String(Number(now()) - 301) }),
      // Well past the 5-minute window: a request delayed by a second under load must not slip inside it.
      'timestamp from the future': signed({ ...good, timestamp: String(Number(now()) + 360) }),
      'missing field': signed(noAmount),
      'no signature': good,
      'non-integer amount': signed({ ...good, amount: '7.5' }),
      'unknown app': signed({ ...good, appId: '409' }),
    };
    for (const [what, body] of Object.entries(cases)) {
      const r = await notify(body);
      expect({ what, ...r }).toEqual({ what, status: 400, text: 'fail' });
    }
    expect(await state(402)).toEqual(before);
    // The same order, correctly signed, still goes through afterwards.
    expect(await notify(signed(good))).toEqual({ status: 200, text: 'success' });
    expect(Number((await state(402)).account.balance)).toBe(1_700);
  });
});
