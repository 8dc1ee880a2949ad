import { TestDatabase } from './support/database';
import { errorOf, fundedAccount, HOLD, ok, orderNo, PAY } from './support/ledger';
import { Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `condition` (bounded) until it holds. */
async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !(await condition()); await sleep(20)) {
    if (Date.now() > end) throw new Error(`condition not met in ${timeoutMs} ms`);
  }
}
const LOCK_FIELDS = 'appId locked owner token expiresAt';
const ACQUIRE = `mutation($a:Int!,$o:String!,$t:Int!){ acquireAppLock(appId:$a, owner:$o, ttlSeconds:$t){ ${LOCK_FIELDS} } }`;
const RELEASE_LOCK = `mutation($a:Int!,$k:SafeInt!){ releaseAppLock(appId:$a, token:$k){ ${LOCK_FIELDS} } }`;
const APP_LOCK = `query($a:Int!){ appLock(appId:$a){ ${LOCK_FIELDS} } }`;

describe('AppLock leases and the bounded wait of money mutations', () => {
  let db: TestDatabase;
  let svc: Service; // waits 300 ms for a lease
  let patient: Service; // waits 10 s

  const acquire = async (appId: number, owner: string, ttl: number) =>
    ok(await svc.gql(ACQUIRE, { a: appId, o: owner, t: ttl })).acquireAppLock;
  const release = (appId: number, token: number) => svc.gql(RELEASE_LOCK, { a: appId, k: token });

  beforeAll(async () => {
    ({
      db,
      services: [svc, patient],
    } = await openLedger(
      { APPLOCK_WAIT_MS: '300', HOLD_EXPIRY_INTERVAL_MS: '0' },
      { APPLOCK_WAIT_MS: '10000', HOLD_EXPIRY_INTERVAL_MS: '0' },
    ));
  });

  afterAll(() => closeLedger(db, [svc, patient]));

  it('a pay during a held lease answers ACCOUNT_LOCKED after the wait, is not stored, and succeeds after release', async () => {
    await fundedAccount(svc, 401, 1_000);
    const lease = await acquire(401, 'maintenance', 60);
    expect(lease).toMatchObject({ appId: 401, locked: true, owner: 'maintenance' });

    const input = { orderNo: orderNo('p'), appId: 401, amount: 100 };
    expect(errorOf(await svc.gql(PAY, { input }))).toMatchObject({ code: 'ACCOUNT_LOCKED', retCode: 5 });
    const hold = await svc.gql(HOLD, { input: { orderNo: orderNo('h'), appId: 401, amount: 100, ttlSeconds: 60 } });
    expect(errorOf(hold)).toMatchObject({ code: 'ACCOUNT_LOCKED', retCode: 5 });
    // Nothing written: no bill (not even a FAILED one), no dedupe row, no change.
    const bills = await db.pool.query(`SELECT channel FROM bill WHERE app_id = 401`);
    expect(bills.rows).toEqual([{ channel: 'RECHARGE' }]);
    const dedupe = await db.pool.query(
      'SELECT count(*)::int AS n FROM idempotency_key WHERE app_id = 401 AND order_no = $1',
      [input.orderNo],
    );
    expect(dedupe.rows[0].n).toBe(0);

    expect(ok(await release(401, lease.token)).releaseAppLock).toMatchObject({ locked: false, token: lease.token });
    const pay = ok(await svc.gql(PAY, { input })).pay;
    expect(pay).toMatchObject({ replayed: false, account: { balance: 900 } });
  });

  it('a pay that started during a lease goes through once the lease is released within the wait', async () => {
    await fundedAccount(svc, 402, 1_000);
    const lease = await acquire(402, 'settlement', 60);
    const pending = patient.gql(PAY, { input: { orderNo: orderNo('p'), appId: 402, amount: 100 } });
    // Released once the pay's statement is in PostgreSQL, waiting (a fixed sleep lost the race under load).
    await until(async () => {
      const { rows } = await db.pool.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
            AND query LIKE '%ledger_run%'`,
      );
      return rows[0].n > 0;
    });
    ok(await release(402, lease.token));
    const pay = ok(await pending).pay;
    expect(pay.account.balance).toBe(900);
    // Its transaction began before the release: it did wait for the lease rather than arrive after it.
    const order = await db.pool.query(
      `SELECT b.created_at < l.updated_at AS began_before_release FROM bill b, app_lock l
        WHERE b.app_id = 402 AND b.order_no = $1 AND l.app_id = 402`,
      [pay.bill.orderNo],
    );
    expect(order.rows).toEqual([{ began_before_release: true }]);
  });

  it('an expired lease is free: pays go through, another owner takes it with a larger token, the old token is stale', async () => {
    await fundedAccount(svc, 403, 1_000);
    const first = await acquire(403, 'short', 1);
    expect(errorOf(await svc.gql(PAY, { input: { orderNo: orderNo('p'), appId: 403, amount: 10 } }))).toMatchObject({
      code: 'ACCOUNT_LOCKED',
    });
    await sleep(new Date(first.expiresAt).getTime() - Date.now() + 100);
    expect(ok(await svc.gql(APP_LOCK, { a: 403 })).appLock).toEqual({
      appId: 403,
      locked: false,
      owner: null,
      token: first.token,
      expiresAt: null,
    });
    ok(await svc.gql(PAY, { input: { orderNo: orderNo('p'), appId: 403, amount: 10 } }));

    const second = await acquire(403, 'other', 60);
    expect(second.token).toBeGreaterThan(first.token);
    expect(errorOf(await release(403, first.token))).toMatchObject({ code: 'ACCOUNT_LOCKED', retCode: 5 });
    expect(ok(await svc.gql(APP_LOCK, { a: 403 })).appLock).toMatchObject({
      locked: true,
      owner: 'other',
      token: second.token,
    });
    ok(await release(403, second.token));
  });

  it('a release with a stale token is refused and leaves the current lease alone', async () => {
    const t1 = await acquire(404, 'one', 60);
    ok(await release(404, t1.token));
    const t2 = await acquire(404, 'two', 60);
    expect(errorOf(await release(404, t1.token))).toMatchObject({ code: 'ACCOUNT_LOCKED', retCode: 5 });
    expect(errorOf(await release(404, t2.token + 1))).toMatchObject({ code: 'ACCOUNT_LOCKED', retCode: 5 });
    expect(ok(await svc.gql(APP_LOCK, { a: 404 })).appLock).toMatchObject({
      locked: true,
      owner: 'two',
      token: t2.token,
    });
    ok(await release(404, t2.token));
  });

  it('tokens grow strictly, and of 10 concurrent acquisitions exactly one wins', async () => {
    const tokens: number[] = [];
    for (let i = 0; i < 5; i++) {
      const lease = await acquire(405, `owner-${i}`, 60);
      tokens.push(lease.token);
      ok(await release(405, lease.token));
    }
    const race = await Promise.all(
      Array.from({ length: 10 }, (_, i) => svc.gql(ACQUIRE, { a: 405, o: `racer-${i}`, t: 60 })),
    );
    const winners = race.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    for (const r of race.filter((x) => x.errors)) expect(errorOf(r)).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    tokens.push(winners[0].data!.acquireAppLock.token);
    for (let i = 1; i < tokens.length; i++) expect(tokens[i]).toBeGreaterThan(tokens[i - 1]);
    ok(await release(405, tokens.at(-1)!));
  });
});
