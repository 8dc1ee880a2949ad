import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli';
import { TestDatabase } from './support/database';
import { errorOf, fundedAccount, ok, orderNo, PAY, RECHARGE, ROLLBACK } from './support/ledger';
import { Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

const TZ = 'Asia/Shanghai'; // UTC+8: the day 2024-03-15 is 2024-03-14T16:00Z .. 2024-03-15T16:00Z
const RECONCILE = `mutation($i:ReconcileInput!){ reconcile(input:$i){
  appId date matched ok
  onlyOurs { orderNo billId ourAmount theirAmount }
  onlyTheirs { orderNo billId ourAmount theirAmount }
  mismatched { orderNo billId ourAmount theirAmount } } }`;

describe('daily reconciliation', () => {
  let db: TestDatabase;
  let svc: Service;
  let dir: string;

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger({ LEDGER_TIMEZONE: TZ }));
    dir = mkdtempSync(join(tmpdir(), 'ledger-recon-'));
  });

  afterAll(async () => {
    await closeLedger(db, [svc]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a day with planted differences of each kind reports exactly them', async () => {
    const app = 601;
    await fundedAccount(svc, app, 50_000);
    const p1 = { orderNo: orderNo('p'), appId: app, amount: 1_200 };
    const p2 = { orderNo: orderNo('p'), appId: app, amount: 800 };
    const p3 = { orderNo: orderNo('p'), appId: app, amount: 450 };
    for (const p of [p1, p2, p3]) ok(await svc.gql(PAY, { input: p }));
    const rb = { orderNo: orderNo('rb'), appId: app, payOrderNo: p2.orderNo };
    ok(await svc.gql(ROLLBACK, { input: rb }));
    const top = { orderNo: orderNo('r'), appId: app, amount: 3_000 };
    ok(await svc.gql(RECHARGE, { input: top }));
    const failed = { orderNo: orderNo('big'), appId: app, amount: 9_999_999 };
    expect(errorOf(await svc.gql(PAY, { input: failed })).code).toBe('INSUFFICIENT_BALANCE');
    const late = { orderNo: orderNo('late'), appId: app, amount: 10 };
    ok(await svc.gql(PAY, { input: late }));

    // Date the bills, in id order: all on 2024-03-15 in Shanghai (the first one 30 minutes after
    // its midnight, 16:30 UTC the day before), except the last, 30 minutes into the next day.
    await db.pool.query(
      `UPDATE bill SET created_at = timestamptz '2024-03-14 16:30Z' + (id - (SELECT min(id) FROM bill WHERE app_id = $1)) * interval '1 minute'
        WHERE app_id = $1`,
      [app],
    );
    await db.pool.query(
      `UPDATE bill SET created_at = timestamptz '2024-03-15 16:30Z' WHERE app_id = $1 AND order_no = $2`,
      [app, late.orderNo],
    );
    const ours = await db.pool.query(
      `SELECT order_no, bill_id, amount FROM bill WHERE app_id = $1 AND status = 'SUCCESS' AND order_no <> $2 ORDER BY id`,
      [app, late.orderNo],
    );
    const billOf = (no: string) => ours.rows.find((r) => r.order_no === no)!;
    expect(ours.rows).toHaveLength(6); // funding, three pays, the rollback, the recharge

    // Their list: p3 missing, the recharge with another amount, two lines we do not have
    // (one of them our FAILED pay, which moved no money), the rest as they are.
    const entries = [
      ...ours.rows
        .filter((r) => r.order_no !== p3.orderNo)
        .map((r) => ({ orderNo: r.order_no, amount: r.order_no === top.orderNo ? 3_100 : r.amount })),
      { orderNo: 'theirs-only-1', amount: -500 },
      { orderNo: failed.orderNo, amount: -9_999_999 },
    ];
    const report = ok(await svc.gql(RECONCILE, { i: { appId: app, date: '2024-03-15', entries } })).reconcile;
    expect(report).toEqual({
      appId: app,
      date: '2024-03-15',
      matched: 4,
      ok: false,
      onlyOurs: [{ orderNo: p3.orderNo, billId: billOf(p3.orderNo).bill_id, ourAmount: -450, theirAmount: null }],
      onlyTheirs: [
        { orderNo: failed.orderNo, billId: null, ourAmount: null, theirAmount: -9_999_999 },
        { orderNo: 'theirs-only-1', billId: null, ourAmount: null, theirAmount: -500 },
      ].sort((a, b) => (a.orderNo < b.orderNo ? -1 : 1)),
      mismatched: [{ orderNo: top.orderNo, billId: billOf(top.orderNo).bill_id, ourAmount: 3_000, theirAmount: 3_100 }],
    });

    // The same list without the planted differences reconciles.
    const clean = ours.rows.map((r) => ({ orderNo: r.order_no, amount: r.amount }));
    const good = ok(await svc.gql(RECONCILE, { i: { appId: app, date: '2024-03-15', entries: clean } })).reconcile;
    expect(good).toMatchObject({ matched: 6, ok: true, onlyOurs: [], onlyTheirs: [], mismatched: [] });
    // The late pay belongs to the next day.
    const next = ok(await svc.gql(RECONCILE, { i: { appId: app, date: '2024-03-16', entries: [] } })).reconcile;
    expect(next.onlyOurs).toEqual([
      { orderNo: late.orderNo, billId: expect.any(Number), ourAmount: -10, theirAmount: null },
    ]);
  });

  it('an empty day reconciles; a date that does not exist is refused', async () => {
    await fundedAccount(svc, 602, 100);
    const empty = ok(await svc.gql(RECONCILE, { i: { appId: 602, date: '2024-03-01', entries: [] } })).reconcile;
    expect(empty).toEqual({
      appId: 602,
      date: '2024-03-01',
      matched: 0,
      ok: true,
      onlyOurs: [],
      onlyTheirs: [],
      mismatched: [],
    });
    const bad = await svc.gql(RECONCILE, { i: { appId: 602, date: '2023-02-29', entries: [] } });
    expect(errorOf(bad)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'input.date' });
  });

  it('a CSV of 1,000,000 lines reconciles through the CLI', async () => {
    const app = 650;
    const n = 1_000_000;
    // A million bills of one day, a valid chain: odd ones +3 (recharges), even ones -1 (pays).
    await db.pool.query(`INSERT INTO account (app_id, balance) VALUES ($1, $2)`, [app, n]);
    await db.pool.query(
      `INSERT INTO bill (bill_id, app_id, order_no, channel, amount, old_balance, new_balance, status, ret_code, created_at)
       SELECT 900000000000 + i, $1, 'r' || i,
              CASE WHEN i % 2 = 1 THEN 'RECHARGE' ELSE 'PAY' END,
              CASE WHEN i % 2 = 1 THEN 3 ELSE -1 END,
              3 * (i / 2) - (i - 1) / 2, 3 * ((i + 1) / 2) - i / 2,
              'SUCCESS', 0, timestamptz '2024-03-14 16:00:01Z' + i * interval '40 ms'
         FROM generate_series(1, $2::int) AS i`,
      [app, n],
    );
    // Their file: r10 and r20 missing, r30 r40 r50 with other amounts, four lines of their own.
    const file = join(dir, 'theirs.csv');
    const out = createWriteStream(file);
    out.write('orderNo,amount\n');
    let chunk = '';
    for (let i = 1; i <= n; i++) {
      if (i === 10 || i === 20) continue;
      const amount = i % 2 === 1 ? 3 : -1;
      chunk += `r${i},${i === 30 || i === 40 || i === 50 ? amount - 1 : amount}\n`;
      if (chunk.length > 1 << 16) {
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        chunk = '';
      }
    }
    out.write(`${chunk}x1,5\nx2,-5\nx3,7\nx4,1\n`);
    await new Promise<void>((r) => out.end(() => r()));

    const reportFile = join(dir, 'report.json');
    const cli = await runCli(
      db.url,
      ['reconcile', '--app', String(app), '--date', '2024-03-15', '--file', file, '--out', reportFile],
      { LEDGER_TIMEZONE: TZ },
    );
    expect(cli.stderr).not.toContain('Error');
    expect(cli.code).toBe(1); // not ok: the planted differences
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    expect(report).toMatchObject({
      appId: app,
      date: '2024-03-15',
      ok: false,
      matched: n - 5,
      counts: { matched: n - 5, onlyOurs: 2, onlyTheirs: 4, mismatched: 3 },
    });
    expect(report.onlyOurs.map((i: { orderNo: string }) => i.orderNo)).toEqual(['r10', 'r20']);
    expect(report.onlyTheirs.map((i: { orderNo: string }) => i.orderNo)).toEqual(['x1', 'x2', 'x3', 'x4']);
    expect(report.mismatched).toEqual([
      { orderNo: 'r30', billId: 900000000030, ourAmount: -1, theirAmount: -2 },
      { orderNo: 'r40', billId: 900000000040, ourAmount: -1, theirAmount: -2 },
      { orderNo: 'r50', billId: 900000000050, ourAmount: -1, theirAmount: -2 },
    ]);
    expect(cli.stdout).toContain('their entries  1,000,002');
    expect(cli.stdout).toContain('matched        999,995');
    const peak = Number(/peak memory: (\d+) MB/.exec(cli.stdout)?.[1]);
    expect(peak).toBeLessThan(300);
  }, 300_000);
});
