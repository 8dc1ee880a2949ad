import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDatabase } from './support/database';
import { errorOf, fundedAccount, HOLD, ok, orderNo, PAY, RELEASE, ROLLBACK } from './support/ledger';
import { Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

/**
 * Nothing in the service enters an AsyncLocalStorage. On Node 20 the first
 * `run` or `enterWith` turns promise hooks on for the whole process, and every
 * promise pays for them from then on: a third or more of a request's CPU
 * (docs/benchmark.md, "AsyncLocalStorage's promise hooks"). Transactions are
 * passed as an EntityManager and in-request log lines name their request
 * themselves (README, "How it is built"); this keeps it so.
 *
 * A preload, given to the service by NODE_OPTIONS, records each call of
 * AsyncLocalStorage's `run` and `enterWith` with its stack. The service then
 * serves the paths that once entered one (any request: pino-http's
 * middleware; a transaction: nestjs-cls) and those that open transactions:
 * pays, a replay, refusals, a rollback, a hold and its release, the gateway's
 * refused callback (logged), an audit, a reconciliation and a settlement that
 * charges one account and freezes another.
 */
describe('AsyncLocalStorage stays unused (promise hooks off)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-als-'));
  const probe = join(dir, 'probe.js');
  const calls = join(dir, 'calls.log');
  let db: TestDatabase;
  let svc: Service;

  writeFileSync(
    probe,
    `const { AsyncLocalStorage } = require('node:async_hooks');
const fs = require('node:fs');
const out = process.env.ALS_PROBE_FILE;
fs.appendFileSync(out, 'loaded ' + process.pid + '\\n');
for (const m of ['run', 'enterWith']) {
  const original = AsyncLocalStorage.prototype[m];
  AsyncLocalStorage.prototype[m] = function (...args) {
    fs.appendFileSync(out, m + ' ' + new Error().stack.split('\\n').slice(2, 8).join(' | ') + '\\n');
    return original.apply(this, args);
  };
}
`,
  );
  const probed = () =>
    readFileSync(calls, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('loaded '));

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger({ NODE_OPTIONS: `--require ${probe}`, ALS_PROBE_FILE: calls, LOG_LEVEL: 'info' }));
  });

  afterAll(async () => {
    await closeLedger(db, [svc]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the probe records a call of run (checked on a plain node process)', () => {
    const other = join(dir, 'self-check.log');
    const r = spawnSync(
      process.execPath,
      ['--require', probe, '-e', "new (require('node:async_hooks').AsyncLocalStorage)().run(1, () => 0)"],
      { env: { ...process.env, ALS_PROBE_FILE: other } },
    );
    expect(r.status).toBe(0);
    expect(readFileSync(other, 'utf8')).toMatch(/^run /m);
  });

  it('requests, transactions and a settlement enter none', async () => {
    expect(readFileSync(calls, 'utf8')).toMatch(/^loaded \d+$/m); // the service runs with the probe

    const app = 9101;
    const poor = 9102;
    await fundedAccount(svc, app, 10_000);
    await fundedAccount(svc, poor, 80); // its subscription below spends it all
    const gql = (q: string, v: Record<string, unknown>) => svc.gql(q, v);
    const SET_PRICE = `mutation($i:SetPriceInput!){ setPrice(input:$i){ name } }`;
    ok(await gql(SET_PRICE, { i: { name: 'als-monthly', price: 80, billing: 'MONTHLY' } }));

    const pay = { orderNo: orderNo('p'), appId: app, amount: 500 };
    ok(await gql(PAY, { input: pay }));
    expect(ok(await gql(PAY, { input: pay })).pay.replayed).toBe(true);
    expect(errorOf(await gql(PAY, { input: { orderNo: orderNo('big'), appId: app, amount: 10 ** 9 } })).code).toBe(
      'INSUFFICIENT_BALANCE',
    );
    expect(errorOf(await gql(PAY, { input: { orderNo: '', appId: app, amount: 1 } })).code).toBe('INVALID_ARGUMENT');
    ok(await gql(ROLLBACK, { input: { orderNo: orderNo('rb'), appId: app, payOrderNo: pay.orderNo } }));
    const hold = ok(await gql(HOLD, { input: { orderNo: orderNo('h'), appId: app, amount: 300, ttlSeconds: 600 } }))
      .hold.hold;
    ok(await gql(RELEASE, { input: { orderNo: orderNo('rl'), appId: app, holdId: hold.id } }));
    const notify = await fetch(`${svc.url}/notify/recharge`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `agentBillNo=${orderNo('g')}&appId=${app}&amount=10&timestamp=1&sign=x`,
    });
    expect(notify.status).toBe(400);

    const AUDIT = `query($a:Int!){ auditAccount(appId:$a){ ok } }`;
    expect(ok(await gql(AUDIT, { a: app })).auditAccount.ok).toBe(true);
    const RECONCILE = `mutation($i:ReconcileInput!){ reconcile(input:$i){ ok } }`;
    ok(await gql(RECONCILE, { i: { appId: app, date: '2024-03-15', entries: [] } }));

    // Subscribed in April 2024 (bills and accounts moved back), settled for May: one charged, one frozen.
    for (const a of [app, poor]) {
      ok(
        await gql(PAY, { input: { orderNo: orderNo('sub'), appId: a, items: [{ name: 'als-monthly', quantity: 1 }] } }),
      );
    }
    await db.pool.query(`UPDATE bill SET created_at = '2024-04-20Z' WHERE app_id = ANY($1)`, [[app, poor]]);
    await db.pool.query(`UPDATE account SET created_at = '2024-04-01Z' WHERE app_id = ANY($1)`, [[app, poor]]);
    const SETTLE = `mutation($m:String!){ settleMonth(month:$m){ settled charged frozen } }`;
    expect(ok(await gql(SETTLE, { m: '2024-05' })).settleMonth).toEqual({ settled: 2, charged: 1, frozen: 1 });

    expect(probed()).toEqual([]);
  });
});
