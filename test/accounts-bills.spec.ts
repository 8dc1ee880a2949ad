import { TestDatabase } from './support/database';
import { errorOf, fundedAccount, ok, orderNo, PAY, RECHARGE } from './support/ledger';
import { Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

const BILLS = `query($a: Int!, $first: Int, $after: String, $channel: BillChannel, $from: DateTime, $to: DateTime) {
  bills(appId: $a, first: $first, after: $after, channel: $channel, from: $from, to: $to) {
    edges { cursor node { billId orderNo channel amount createdAt } }
    pageInfo { hasNextPage endCursor } } }`;

describe('accounts, serials and bills', () => {
  let db: TestDatabase;
  let svc: Service;

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger());
  });

  afterAll(() => closeLedger(db, [svc]));

  it('openAccount opens once and returns an existing account as it is', async () => {
    const a = ok(
      await svc.gql('mutation { openAccount(appId: 401) { appId balance held available frozen version } }'),
    ).openAccount;
    expect(a).toEqual({ appId: 401, balance: 0, held: 0, available: 0, frozen: false, version: 0 });
    ok(await svc.gql(RECHARGE, { input: { orderNo: orderNo('r'), appId: 401, amount: 70 } }));
    const again = ok(await svc.gql('mutation { openAccount(appId: 401) { balance version } }')).openAccount;
    expect(again).toEqual({ balance: 70, version: 1 });
    expect(errorOf(await svc.gql('{ account(appId: 409) { balance } }'))).toMatchObject({
      code: 'NOT_FOUND',
      retCode: 1,
    });
    expect(errorOf(await svc.gql('mutation { openAccount(appId: 0) { appId } }'))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'appId',
    });
  });

  it('assignSerials hands out fresh serials from 100000000 up, never twice, even concurrently', async () => {
    const batches = await Promise.all(
      Array.from({ length: 20 }, () => svc.gql('mutation { assignSerials(count: 50) }')),
    );
    const all = batches.flatMap((b) => ok(b).assignSerials as number[]);
    expect(all).toHaveLength(1000);
    expect(new Set(all).size).toBe(1000);
    expect(Math.min(...all)).toBeGreaterThanOrEqual(100_000_000);
    expect(errorOf(await svc.gql('mutation { assignSerials(count: 1001) }'))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'count',
    });
    expect(errorOf(await svc.gql('mutation { assignSerials(count: 0) }')).code).toBe('INVALID_ARGUMENT');
  });

  it('bills come newest first in cursor pages, filtered by channel and time', async () => {
    await fundedAccount(svc, 402, 1_000);
    for (let i = 0; i < 7; i++) ok(await svc.gql(PAY, { input: { orderNo: `page-${i}`, appId: 402, amount: 10 + i } }));
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const conn: any = ok(await svc.gql(BILLS, { a: 402, first: 3, after })).bills;
      seen.push(...conn.edges.map((e: any) => e.node.orderNo));
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen.slice(0, 7)).toEqual(['page-6', 'page-5', 'page-4', 'page-3', 'page-2', 'page-1', 'page-0']);
    expect(seen).toHaveLength(8); // and the funding recharge last
    const pays = ok(await svc.gql(BILLS, { a: 402, channel: 'PAY' })).bills.edges;
    expect(pays).toHaveLength(7);
    const recharges = ok(await svc.gql(BILLS, { a: 402, channel: 'RECHARGE' })).bills.edges;
    expect(recharges).toHaveLength(1);
    // Time window: move two bills to yesterday and select them by time.
    await db.pool.query(
      `UPDATE bill SET created_at = now() - interval '1 day' WHERE app_id = 402 AND order_no IN ('page-0', 'page-1')`,
    );
    const since = new Date(Date.now() - 3600_000).toISOString();
    const recent = ok(await svc.gql(BILLS, { a: 402, channel: 'PAY', from: since })).bills.edges;
    expect(recent.map((e: any) => e.node.orderNo)).toEqual(['page-6', 'page-5', 'page-4', 'page-3', 'page-2']);
    const old = ok(await svc.gql(BILLS, { a: 402, channel: 'PAY', to: since })).bills.edges;
    expect(old.map((e: any) => e.node.orderNo)).toEqual(['page-1', 'page-0']);
    expect(errorOf(await svc.gql(BILLS, { a: 402, after: 'garbage' }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'after',
    });
    expect(errorOf(await svc.gql(BILLS, { a: 402, first: 501 }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'first',
    });
  });

  it('prices: setPrice inserts and updates, prices lists them', async () => {
    ok(
      await svc.gql(
        'mutation { setPrice(input: { name: "web", price: 100, billing: ONE_TIME, info: "web server" }) { name } }',
      ),
    );
    ok(await svc.gql('mutation { setPrice(input: { name: "db", price: 300, billing: MONTHLY }) { name } }'));
    ok(
      await svc.gql(
        'mutation { setPrice(input: { name: "web", price: 120, billing: ONE_TIME, info: "web server" }) { name } }',
      ),
    );
    const prices = ok(await svc.gql('{ prices { name price billing info } }')).prices;
    expect(prices).toEqual([
      { name: 'db', price: 300, billing: 'MONTHLY', info: '' },
      { name: 'web', price: 120, billing: 'ONE_TIME', info: 'web server' },
    ]);
    expect(errorOf(await svc.gql('mutation { setPrice(input: { name: "x", price: -1 }) { name } }'))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'input.price',
    });
  });

  it('freeze needs a reason and an existing account', async () => {
    expect(errorOf(await svc.gql('mutation { freezeAccount(appId: 408, reason: "x") { frozen } }')).code).toBe(
      'NOT_FOUND',
    );
    await fundedAccount(svc, 403, 0);
    expect(errorOf(await svc.gql('mutation { freezeAccount(appId: 403, reason: "") { frozen } }'))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'reason',
    });
    const f = ok(
      await svc.gql('mutation { freezeAccount(appId: 403, reason: "audit") { frozen freezeReason version } }'),
    ).freezeAccount;
    expect(f).toEqual({ frozen: true, freezeReason: 'audit', version: 1 });
  });
});
