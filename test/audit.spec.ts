import { runCli } from './support/cli';
import { TestDatabase } from './support/database';
import { errorOf, fundedAccount, ok, orderNo, PAY, ROLLBACK } from './support/ledger';
import { Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

const AUDIT = `query($a:Int!){ auditAccount(appId:$a){ appId ok balance billSum held openHoldSum breaks } }`;

describe('ledger audit', () => {
  let db: TestDatabase;
  let svc: Service;

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger());
    // Three sound accounts with some history: recharges, pays, a rollback, a refused pay.
    for (const app of [301, 302, 303]) {
      await fundedAccount(svc, app, 10_000);
      const pay = { orderNo: orderNo('p'), appId: app, amount: 2_500 };
      ok(await svc.gql(PAY, { input: pay }));
      ok(await svc.gql(PAY, { input: { orderNo: orderNo('p'), appId: app, amount: 1_000 } }));
      ok(await svc.gql(ROLLBACK, { input: { orderNo: orderNo('rb'), appId: app, payOrderNo: pay.orderNo } }));
      expect(
        errorOf(await svc.gql(PAY, { input: { orderNo: orderNo('big'), appId: app, amount: 1_000_000 } })).code,
      ).toBe('INSUFFICIENT_BALANCE');
    }
  });

  afterAll(() => closeLedger(db, [svc]));

  it('is ok on a sound ledger, in GraphQL and in the CLI (exit code 0)', async () => {
    const r = ok(await svc.gql(AUDIT, { a: 301 })).auditAccount;
    expect(r).toEqual({ appId: 301, ok: true, balance: 9_000, billSum: 9_000, held: 0, openHoldSum: 0, breaks: [] });
    const cli = await runCli(db.url, ['audit']);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('all 3 accounts agree');
  });

  it('finds breaks planted by raw SQL and names the bills; the CLI exits non-zero', async () => {
    const bills = await db.pool.query(`SELECT id FROM bill WHERE app_id = 302 AND status = 'SUCCESS' ORDER BY id`);
    const [, second, third] = bills.rows.map((r) => Number(r.id));
    // A bill whose balances were shifted: it no longer chains to the one before, nor the next one to it.
    await db.pool.query(
      'UPDATE bill SET old_balance = old_balance + 7, new_balance = new_balance + 7 WHERE app_id = 302 AND id = $1',
      [second],
    );
    // A balance changed behind the ledger's back.
    await db.pool.query('UPDATE account SET balance = balance + 1 WHERE app_id = 303');
    try {
      const broken = ok(await svc.gql(AUDIT, { a: 302 })).auditAccount;
      expect(broken.ok).toBe(false);
      expect(broken.breaks).toHaveLength(2);
      expect(broken.breaks[0]).toContain(`bill ${second}:`);
      expect(broken.breaks[1]).toContain(`bill ${third}:`);
      expect(broken.breaks[1]).toContain(`of bill ${second}`);

      const off = ok(await svc.gql(AUDIT, { a: 303 })).auditAccount;
      expect(off).toMatchObject({ ok: false, balance: 9_001, billSum: 9_000 });
      expect(off.breaks).toEqual([
        'balance 9001 != sum of SUCCESS bills 9000',
        expect.stringMatching(/^balance 9001 != newBalance 9000 of the last applied bill \d+$/),
      ]);
      expect(ok(await svc.gql(AUDIT, { a: 301 })).auditAccount.ok).toBe(true);

      const cli = await runCli(db.url, ['audit']);
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain('app 302:');
      expect(cli.stdout).toContain('app 303:');
      expect(cli.stdout).not.toContain('app 301:');
      expect(cli.stdout).toContain('2 of 3 accounts have breaks');
    } finally {
      await db.pool.query(
        'UPDATE bill SET old_balance = old_balance - 7, new_balance = new_balance - 7 WHERE app_id = 302 AND id = $1',
        [second],
      );
      await db.pool.query('UPDATE account SET balance = balance - 1 WHERE app_id = 303');
    }
    expect(ok(await svc.gql(AUDIT, { a: 302 })).auditAccount.ok).toBe(true);
  });
});
