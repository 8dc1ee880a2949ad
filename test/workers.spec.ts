import { readFileSync } from 'node:fs';
import { TestDatabase } from './support/database';
import { errorOf, fundedAccount, ok, orderNo, PAY, RECHARGE } from './support/ledger';
import { Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

/** The live child processes of a pid (Linux /proc). */
function children(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/**
 * A client that follows the contract: a network failure is retried with the same input (and orderNo). The
 * test's HTTP client keeps sockets alive, and those that went to the killed worker fail once each.
 */
async function retried<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      // fetch's TypeError comes from Node's realm, not the test sandbox's: compare by name.
      if (attempt >= 100 || (err as Error).name !== 'TypeError') throw err;
    }
  }
}
async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * WORKERS=2: one primary, two service processes on one port. They are
 * instances like any other: what they share is PostgreSQL.
 */
describe('WORKERS=2: several service processes behind one port', () => {
  let db: TestDatabase;
  let svc: Service;

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger({ WORKERS: '2' }));
  });
  afterAll(() => closeLedger(db, [svc]));

  it('runs two workers, each connected to the database as itself', async () => {
    const workers = children(svc.proc.pid!);
    expect(workers).toHaveLength(2);
    const { rows } = await db.pool.query(
      `SELECT DISTINCT application_name AS name FROM pg_stat_activity
        WHERE datname = current_database() AND application_name LIKE 'ledger/%' ORDER BY 1`,
    );
    expect(rows.map((r) => r.name)).toEqual(workers.map((pid) => `ledger/${pid}`).sort());
  });

  it('a hot account across both workers: 100 pays of 30 on 1000, 30 concurrent copies of one: exact once', async () => {
    await fundedAccount(svc, 502, 1000);
    const dup = { orderNo: orderNo('dup'), appId: 502, amount: 30 };
    const results = await Promise.all([
      ...Array.from({ length: 100 }, () =>
        svc.gql(PAY, { input: { orderNo: orderNo('hot'), appId: 502, amount: 30 } }),
      ),
      ...Array.from({ length: 30 }, () => svc.gql(PAY, { input: dup })),
    ]);
    const paid = results.slice(0, 100).filter((r) => !r.errors);
    expect(
      results
        .slice(0, 100)
        .filter((r) => r.errors)
        .every((r) => errorOf(r).code === 'INSUFFICIENT_BALANCE'),
    ).toBe(true);
    const copies = results.slice(100);
    const dupApplied = copies.every((r) => !r.errors);
    if (dupApplied) {
      expect(copies.filter((r) => !ok(r).pay.replayed)).toHaveLength(1);
      for (const r of copies) expect(ok(r).pay.bill).toEqual(ok(copies[0]).pay.bill);
    } else {
      // Refused for balance: every copy answers the same stored refusal.
      expect(copies.every((r) => errorOf(r).code === 'INSUFFICIENT_BALANCE')).toBe(true);
    }
    expect(paid.length + (dupApplied ? 1 : 0)).toBe(33);
    const acc = await db.pool.query('SELECT balance FROM account WHERE app_id = 502');
    expect(Number(acc.rows[0].balance)).toBe(10);
  });

  it('a worker that dies is replaced, and the service answers meanwhile', async () => {
    const [victim, other] = children(svc.proc.pid!);
    process.kill(victim, 'SIGKILL');
    await until(() => !alive(victim));
    await retried(() => svc.gql(`mutation { openAccount(appId: 503) { appId } }`).then(ok));
    const funding = { orderNo: orderNo('fund'), appId: 503, amount: 100 };
    await retried(() => svc.gql(RECHARGE, { input: funding }).then(ok));
    await until(() => children(svc.proc.pid!).length === 2 && !children(svc.proc.pid!).includes(victim));
    expect(children(svc.proc.pid!)).toContain(other);
    const after = { orderNo: orderNo('after'), appId: 503, amount: 1 };
    await retried(() => svc.gql(PAY, { input: after }).then(ok));
  });

  it('SIGTERM to the primary stops every worker gracefully, and the primary exits 0', async () => {
    const workers = children(svc.proc.pid!);
    expect(await svc.stop('SIGTERM')).toBe(0);
    for (const w of workers) expect(alive(w)).toBe(false);
  });
});
