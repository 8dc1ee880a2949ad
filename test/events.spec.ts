import { Client } from 'pg';
import { TestDatabase, withClient } from './support/database';
import { allSequenced, eventsPage, FeedNode, Subscriber, SUBSCRIBE, waitFor } from './support/events';
import { errorOf, fundedAccount, ok, orderNo, PAY, RECHARGE } from './support/ledger';
import { Service, startService } from './support/service';
import { closeLedger, openLedger } from './support/suite';

/**
 * Events (issue 16, docs/events.md): one event per fact, written by triggers in
 * the fact's own statement; a gap-free feed; subscriptions on every instance.
 * Two instances share one database throughout.
 */
describe('events', () => {
  let db: TestDatabase;
  let a: Service;
  let b: Service;

  beforeAll(async () => {
    // One after the other: two services booting at once on a loaded machine can miss the start-up limit.
    ({
      db,
      services: [a],
    } = await openLedger({ EVENT_SEQUENCER_INTERVAL_MS: '50' }));
    b = await startService(db.url, { EVENT_SEQUENCER_INTERVAL_MS: '50' });
  });

  afterAll(() => closeLedger(db, [a, b]));

  async function billEvents(): Promise<{ bill_id: string; n: number }[]> {
    const { rows } = await db.pool.query(
      `SELECT b.id::text AS bill_id, count(e.id)::int AS n
         FROM bill b LEFT JOIN ledger_event e ON e.type = 'BILL_RECORDED' AND ledger_event_data(e)->'bill'->>'id' = b.id::text
        GROUP BY b.id`,
    );
    return rows;
  }

  /** A recharge command as the service sends it to PostgreSQL (src/common/idempotency/command.ts). */
  const recharge = (appId: number, orderNo: string, amount: number) =>
    JSON.stringify({
      op: 'recharge',
      appId,
      orderNo,
      fingerprint: 'fp',
      user: 'test',
      srcIp: null,
      leaseToken: null,
      leaseWaitMs: 0,
      args: { amount, info: null },
    });

  it('200 concurrent mutations on two instances: one event per bill, none for replays or rollbacks; a pager during the writes gets exactly the committed events', async () => {
    for (const app of [1601, 1602, 1603, 1604, 1608, 1609]) await fundedAccount(a, app, 50_000);

    // A transaction that writes a bill first and commits last: its event has a lower id than
    // every event below, and a reader that paged past those must still get it.
    const held = new Client({ connectionString: db.url });
    await held.connect();
    await held.query('BEGIN');
    await held.query('SELECT ledger_run($1)', [recharge(1609, 'held-1', 700)]);
    // And one that rolls back: no event.
    const undone = new Client({ connectionString: db.url });
    await undone.connect();
    await undone.query('BEGIN');
    await undone.query('SELECT ledger_run($1)', [recharge(1608, 'undone-1', 900)]);
    await undone.query('ROLLBACK');
    await undone.end();

    let writing = true;
    const paged: FeedNode[] = [];
    const pager = (async () => {
      let after: string | null = null;
      let drained = false;
      for (;;) {
        const page = await eventsPage(b, { after, first: 37 });
        paged.push(...page.nodes);
        after = page.endCursor;
        if (page.nodes.length) continue;
        if (drained) return;
        if (writing)
          await new Promise((r) => setTimeout(r, 20)); // a poller's interval
        else {
          await allSequenced(db.pool);
          drained = true; // one more page after everything is sequenced
        }
      }
    })();

    const orders = Array.from({ length: 180 }, (_, i) => ({
      orderNo: orderNo('ev'),
      appId: 1601 + (i % 4),
      // Every 9th pay cannot be afforded: a FAILED bill, which has its event too.
      amount: i % 9 === 0 ? 10_000_000 : 100 + i,
    }));
    const replays = orders.slice(0, 20);
    const answers = await Promise.all([
      ...orders.map((input, i) => (i % 2 ? a : b).gql(PAY, { input })),
      ...replays.map((input, i) => (i % 2 ? b : a).gql(PAY, { input })),
    ]);
    for (const r of answers) {
      if (r.errors) expect(errorOf(r).code).toBe('INSUFFICIENT_BALANCE');
    }
    await held.query('COMMIT');
    await held.end();
    writing = false;
    await pager;

    const perBill = await billEvents();
    expect(perBill.filter((r) => r.n !== 1)).toEqual([]);
    const { rows: orphan } = await db.pool.query(
      `SELECT count(*)::int AS n FROM ledger_event e WHERE e.type = 'BILL_RECORDED'
         AND NOT EXISTS (SELECT 1 FROM bill b WHERE b.id::text = ledger_event_data(e)->'bill'->>'id')`,
    );
    expect(orphan[0].n).toBe(0);
    const { rows: undoneEvents } = await db.pool.query(
      `SELECT count(*)::int AS n FROM ledger_event e WHERE ledger_event_data(e)->'bill'->>'orderNo' = 'undone-1'`,
    );
    expect(undoneEvents[0].n).toBe(0);

    // The pager saw exactly the committed events, in seq order, none twice, the late one included.
    const { rows: all } = await db.pool.query('SELECT id::text AS id FROM ledger_event ORDER BY seq');
    expect(paged.map((e) => e.id)).toEqual(all.map((r: { id: string }) => r.id));
    expect(paged.some((e) => e.data.bill?.orderNo === 'held-1')).toBe(true);
    const seqs = paged.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));

    // data is { bill, account } with the GraphQL field names, the account as the posting left it.
    const pay = paged.find((e) => e.type === 'BILL_RECORDED' && e.data.bill.orderNo === orders[1].orderNo)!;
    const answered = ok(answers[1]).pay;
    expect(pay.data.bill).toEqual(answered.bill);
    expect(pay.data.account).toMatchObject(answered.account);
    expect(pay.appId).toBe(orders[1].appId);

    // A replay later writes nothing.
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM ledger_event')).rows[0].n;
    const again = await a.gql(PAY, { input: orders[1] });
    expect(ok(again).pay.replayed).toBe(true);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM ledger_event')).rows[0].n).toBe(before);
  });

  it('account open, freeze and unfreeze give their events; an APP key reads only its own app', async () => {
    await fundedAccount(a, 1620, 1000);
    await fundedAccount(a, 1621, 1000);
    ok(await a.gql(`mutation { freezeAccount(appId: 1620, reason: "review") { frozen } }`));
    ok(await a.gql(`mutation { unfreezeAccount(appId: 1620) { frozen } }`));
    await allSequenced(db.pool);
    const key = ok(
      await a.gql<{ createApiKey: { key: string } }>(
        `mutation { createApiKey(input: {role: APP, appId: 1620, label: "shop-1620"}) { key } }`,
      ),
    ).createApiKey.key;

    const own = await eventsPage(b, { first: 1000 }, key);
    expect(own.nodes.map((e) => e.type)).toEqual([
      'ACCOUNT_OPENED',
      'BILL_RECORDED',
      'ACCOUNT_FROZEN',
      'ACCOUNT_UNFROZEN',
    ]);
    expect(own.nodes.every((e) => e.appId === 1620)).toBe(true);
    expect(own.nodes[2].data.account).toMatchObject({ appId: 1620, frozen: true, freezeReason: 'review' });

    // Its subscription, without appId, is its own app's feed.
    const mine = new Subscriber(a, key, SUBSCRIBE, { after: '0' });
    await waitFor('its events', async () => mine.received.length >= own.nodes.length);
    expect(mine.received.map((e) => e.id)).toEqual(own.nodes.map((e) => e.id));
    await mine.close();

    const other = await b.gql(`{ events(appId: 1621) { edges { node { id } } } }`, {}, key);
    expect(errorOf(other).code).toBe('FORBIDDEN');
    const sub = new Subscriber(b, key, SUBSCRIBE, { appId: 1621 });
    await waitFor('the refusal', async () => sub.errors.length > 0);
    expect(JSON.stringify(sub.errors)).toMatch(/acts for app 1620 only/);
    await sub.close();

    const typed = await eventsPage(a, { appId: 1620, types: ['ACCOUNT_FROZEN'] });
    expect(typed.nodes.map((e) => e.type)).toEqual(['ACCOUNT_FROZEN']);
    expect(errorOf(await a.gql(`{ events(after: "x1") { edges { cursor } } }`)).field).toBe('after');
  });

  it('a subscriber on one instance sees a pay made through the other; resuming with after gives no gap and no duplicate', async () => {
    await fundedAccount(a, 1630, 100_000);
    await allSequenced(db.pool);
    const start = (await eventsPage(a, { appId: 1630, first: 1000 })).endCursor;

    // Live, without after: pays through B until the subscriber on A has one.
    const live = new Subscriber(a, 'test-admin-key-0123456789abcdef', SUBSCRIBE, { appId: 1630 });
    await live.connected();
    const first = await waitFor('a live event', async () => {
      ok(await b.gql(PAY, { input: { orderNo: orderNo('live'), appId: 1630, amount: 1 } }));
      await new Promise((r) => setTimeout(r, 300));
      return live.received[0];
    });
    expect(first.type).toBe('BILL_RECORDED');

    // Resuming: from the cursor before any of those pays, while more pays commit through B.
    const resumed = new Subscriber(a, 'test-admin-key-0123456789abcdef', SUBSCRIBE, { appId: 1630, after: start });
    const more = Array.from({ length: 30 }, () => ({ orderNo: orderNo('more'), appId: 1630, amount: 2 }));
    await Promise.all(more.map((input) => b.gql(PAY, { input })));
    await allSequenced(db.pool);
    const { rows } = await db.pool.query(
      'SELECT id::text AS id FROM ledger_event WHERE app_id = 1630 AND seq > $1 ORDER BY seq',
      [Number(start)],
    );
    const expected = rows.map((r: { id: string }) => r.id);
    await waitFor('the resumed subscriber', async () => resumed.received.length >= expected.length);
    expect(resumed.received.map((e) => e.id)).toEqual(expected);
    // The live one: every event from its first on, in order, none twice.
    await waitFor('the live subscriber', async () => live.received.at(-1)?.id === expected.at(-1));
    expect(live.received.map((e) => e.id)).toEqual(expected.slice(expected.indexOf(first.id)));
    await Promise.all([live.close(), resumed.close()]);
  });

  it('coupon issue, a settlement statement, a reconciliation and a hold expiry give their events', async () => {
    await fundedAccount(a, 1650, 10_000);
    ok(
      await a.gql(
        `mutation { createCouponTemplate(input: {code: "EV1650", name: "n", discount: 100, minSpend: 0, perAppLimit: 1, validDays: 3}) { code } }`,
      ),
    );
    const coupon = ok(
      await a.gql(
        `mutation { issueCoupon(input: {orderNo: "c-1650", appId: 1650, templateCode: "EV1650"}) { coupon { id orderNo status } } }`,
      ),
    ).issueCoupon.coupon;
    ok(
      await a.gql(
        `mutation { issueCoupon(input: {orderNo: "c-1650", appId: 1650, templateCode: "EV1650"}) { replayed } }`,
      ),
    );
    await db.pool.query(`UPDATE account SET created_at = '2024-04-01Z' WHERE app_id = 1650`);
    ok(await a.gql(`mutation { settleMonth(month: "2024-05") { settled } }`));
    const today = new Date().toISOString().slice(0, 10);
    ok(
      await a.gql(`mutation($d: String!) { reconcile(input: {appId: 1650, date: $d, entries: []}) { ok } }`, {
        d: today,
      }),
    );
    ok(
      await a.gql(
        `mutation { hold(input: {orderNo: "h-1650", appId: 1650, amount: 50, ttlSeconds: 1}) { hold { id } } }`,
      ),
    );
    await waitFor('the hold expiry', async () => {
      await allSequenced(db.pool);
      const page = await eventsPage(a, { appId: 1650, types: ['BILL_RECORDED'], first: 1000 });
      return page.nodes.find((e) => e.data.bill.channel === 'RELEASE');
    });
    await allSequenced(db.pool);
    const events = (await eventsPage(a, { appId: 1650, first: 1000 })).nodes;
    const of = (type: string) => events.filter((e) => e.type === type);
    expect(of('COUPON_ISSUED').map((e) => e.data.coupon)).toEqual([expect.objectContaining(coupon)]);
    expect(of('STATEMENT_READY').map((e) => e.data.statement)).toEqual([
      expect.objectContaining({ appId: 1650, month: '2024-05', recurringCharge: 0, settlementBillId: null }),
    ]);
    expect(of('RECONCILIATION_COMPLETED').map((e) => e.data)).toEqual([
      { appId: 1650, date: today, ok: false, matched: 0, onlyOurs: 1, onlyTheirs: 0, mismatched: 0 },
    ]);
    const release = of('BILL_RECORDED').find((e) => e.data.bill.channel === 'RELEASE')!;
    expect(release.data.bill).toMatchObject({ orderNo: expect.stringMatching(/^expire\//), info: 'expired' });
    expect(release.data.account).toMatchObject({ held: 0 });
  });

  it('BALANCE_LOW fires once per crossing of the alert', async () => {
    await fundedAccount(a, 1640, 1000);
    const set = ok(await a.gql(`mutation { setBalanceAlert(appId: 1640, below: 500) { appId available } }`));
    expect(set.setBalanceAlert).toEqual({ appId: 1640, available: 1000 });
    const pay = async (amount: number) =>
      ok(await a.gql(PAY, { input: { orderNo: orderNo('low'), appId: 1640, amount } })).pay;
    await pay(300); // 700
    const crossing = await pay(300); // 400: crosses
    await pay(100); // 300: still under, no new event
    ok(await a.gql(RECHARGE, { input: { orderNo: orderNo('up'), appId: 1640, amount: 1000 } })); // 1300
    await pay(800); // 500: not under
    const second = await pay(1); // 499: crosses again
    await allSequenced(db.pool);
    const low = (await eventsPage(a, { appId: 1640, types: ['BALANCE_LOW'] })).nodes;
    expect(low.map((e) => e.data)).toEqual([
      { appId: 1640, available: 400, below: 500, billId: crossing.bill.billId },
      { appId: 1640, available: 499, below: 500, billId: second.bill.billId },
    ]);
    ok(await a.gql(`mutation { setBalanceAlert(appId: 1640, below: null) { appId } }`));
    await pay(499); // 0: no alert any more
    await allSequenced(db.pool);
    expect((await eventsPage(a, { appId: 1640, types: ['BALANCE_LOW'] })).nodes).toHaveLength(2);
  });

  it('EVENTS=off: an instance whose connections switch events off writes no bill or balance-alert event', async () => {
    await fundedAccount(a, 1670, 1000);
    ok(await a.gql(`mutation { setBalanceAlert(appId: 1670, below: 500) { appId } }`));
    await allSequenced(db.pool);
    const count = async () =>
      (await db.pool.query('SELECT count(*)::int AS n FROM ledger_event WHERE app_id = 1670')).rows[0].n;
    const before = await count();
    const off = await startService(db.url, { EVENTS: 'off' });
    try {
      // Crosses the alert, and a refusal writes a FAILED bill: neither writes an event.
      ok(await off.gql(PAY, { input: { orderNo: orderNo('off'), appId: 1670, amount: 600 } }));
      expect(errorOf(await off.gql(PAY, { input: { orderNo: orderNo('off'), appId: 1670, amount: 5000 } })).code).toBe(
        'INSUFFICIENT_BALANCE',
      );
    } finally {
      await off.stop();
    }
    const { rows } = await db.pool.query(`SELECT status FROM bill WHERE app_id = 1670 AND order_no LIKE 'off%'`);
    expect(rows.map((r) => r.status).sort()).toEqual(['FAILED', 'SUCCESS']);
    expect(await count()).toBe(before);
    // The same crossing through an instance with events on writes both.
    ok(await a.gql(RECHARGE, { input: { orderNo: orderNo('up'), appId: 1670, amount: 600 } })); // 1000 again
    const pay = ok(await a.gql(PAY, { input: { orderNo: orderNo('on'), appId: 1670, amount: 600 } })).pay;
    await allSequenced(db.pool);
    const low = (await eventsPage(a, { appId: 1670, types: ['BALANCE_LOW'] })).nodes;
    expect(low.map((e) => e.data)).toEqual([{ appId: 1670, available: 400, below: 500, billId: pay.bill.billId }]);
  });

  it('the sequencer numbers events on their own page (fillfactor 45): the whole row is not written again elsewhere', async () => {
    await fundedAccount(a, 1640, 100);
    await allSequenced(db.pool);
    // 120 events in one transaction fill about two dozen pages; the sequencer numbers them all in one run.
    const pageOf = `(ctid::text::point)[0]::int AS page`;
    const before = await withClient(db.url, async (c) => {
      await c.query('BEGIN');
      for (let i = 0; i < 120; i++) await c.query('SELECT ledger_run($1)', [recharge(1640, `in-place-${i}`, 1)]);
      const { rows } = await c.query<{ id: string; page: number }>(
        `SELECT id::text AS id, ${pageOf} FROM ledger_event e WHERE app_id = 1640 AND ledger_event_data(e)->'bill'->>'orderNo' LIKE 'in-place-%'`,
      );
      await c.query('COMMIT');
      return rows;
    });
    expect(before).toHaveLength(120);
    await allSequenced(db.pool);
    const { rows: after } = await db.pool.query<{ id: string; page: number }>(
      `SELECT id::text AS id, ${pageOf} FROM ledger_event WHERE id = ANY ($1::bigint[])`,
      [before.map((r) => r.id)],
    );
    const pageNow = new Map(after.map((r) => [r.id, r.page]));
    const moved = before.filter((r) => pageNow.get(r.id) !== r.page).length;
    // With pages filled by the inserts, nearly every numbered row had to move to another page.
    expect(moved).toBeLessThanOrEqual(6);
  });

  it('events older than EVENT_RETENTION_DAYS are purged by the job', async () => {
    await fundedAccount(a, 1660, 100);
    await allSequenced(db.pool);
    const count = async (app: number) =>
      (await db.pool.query('SELECT count(*)::int AS n FROM ledger_event WHERE app_id = $1', [app])).rows[0].n;
    const keptBefore = await count(1601);
    await db.pool.query(`UPDATE ledger_event SET created_at = now() - interval '31 days' WHERE app_id = 1660`);
    // A new instance purges on its first run (then once a minute).
    const c = await startService(db.url, { EVENT_RETENTION_DAYS: '30' });
    try {
      await waitFor('the purge', async () => (await count(1660)) === 0);
      expect(await count(1601)).toBe(keptBefore);
    } finally {
      await c.stop();
    }
  });
});
