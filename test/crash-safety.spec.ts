import { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from './support/database';
import { fundedAccount, ledgerBreaks, orderNo, PAY } from './support/ledger';
import { PrivatePostgres } from './support/private-postgres';
import { GqlResult, Service, startService } from './support/service';

interface Order {
  orderNo: string;
  appId: number;
  amount: number;
}

/** What a client saw for one order: an acknowledged bill, an error answer, or nothing (connection lost). */
type Seen =
  | { kind: 'ack'; billId: string; replayed: boolean }
  | { kind: 'error'; retCode: number; code: string }
  | { kind: 'none' };

async function send(svc: Service, input: Order): Promise<Seen> {
  let r: GqlResult;
  try {
    r = await svc.gql(PAY, { input });
  } catch {
    return { kind: 'none' };
  }
  if (r.data?.pay) return { kind: 'ack', billId: r.data.pay.bill.id, replayed: r.data.pay.replayed };
  return { kind: 'error', retCode: r.errors![0].extensions.retCode, code: r.errors![0].extensions.code };
}

/** Sends the orders through `workers` concurrent clients, calling `after` once `n` have been acknowledged. */
async function stream(svc: Service, orders: Order[], workers: number, n: number, after: () => void): Promise<Seen[]> {
  const seen: Seen[] = new Array(orders.length);
  let next = 0;
  let acks = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < orders.length) {
        const i = next++;
        seen[i] = await send(svc, orders[i]);
        if (seen[i].kind === 'ack' && ++acks === n) after();
      }
    }),
  );
  return seen;
}

/** Retries every order not acknowledged, with its own orderNo and input, until all are. */
async function retryUnacknowledged(svc: Service, orders: Order[], seen: Seen[]): Promise<Seen[]> {
  const final = [...seen];
  for (let round = 0; final.some((s) => s.kind !== 'ack'); round++) {
    if (round === 20)
      throw new Error(`still unacknowledged after 20 rounds: ${JSON.stringify(final.filter((s) => s.kind !== 'ack'))}`);
    await Promise.all(
      final.map(async (s, i) => (s.kind === 'ack' ? undefined : (final[i] = await send(svc, orders[i])))),
    );
    if (final.some((s) => s.kind !== 'ack')) await new Promise((r) => setTimeout(r, 250));
  }
  return final;
}

/** Every order is in the ledger exactly once, as the bill its client was told of, and each balance adds up. */
async function expectExactlyOnce(pool: Pool, orders: Order[], acked: Seen[], funded: number): Promise<void> {
  const apps = [...new Set(orders.map((o) => o.appId))];
  const { rows } = await pool.query(
    `SELECT order_no, count(*)::int AS n, min(id)::text AS id, min(status) AS status
       FROM bill WHERE app_id = ANY($1) AND channel = 'PAY' GROUP BY order_no`,
    [apps],
  );
  const byOrder = new Map(rows.map((r) => [r.order_no as string, r]));
  expect(byOrder.size).toBe(orders.length);
  orders.forEach((o, i) => {
    const row = byOrder.get(o.orderNo);
    expect(row).toMatchObject({ n: 1, status: 'SUCCESS' });
    const s = acked[i];
    expect(s.kind).toBe('ack');
    if (s.kind === 'ack') expect(row!.id).toBe(s.billId);
  });
  const acc = await pool.query('SELECT app_id, balance FROM account WHERE app_id = ANY($1) ORDER BY app_id', [apps]);
  const spent = (appId: number) => orders.filter((o) => o.appId === appId).reduce((sum, o) => sum + o.amount, 0);
  expect(acc.rows.map((r) => [r.app_id, Number(r.balance)])).toEqual(
    [...apps].sort((a, b) => a - b).map((a) => [a, funded - spent(a)]),
  );
  // Nothing half-applied: every claimed orderNo carries its stored answer.
  const open = await pool.query(
    'SELECT count(*)::int AS n FROM idempotency_key WHERE app_id = ANY($1) AND response IS NULL',
    [apps],
  );
  expect(open.rows[0].n).toBe(0);
  expect(await ledgerBreaks(pool)).toEqual([]);
}

/** n orders over the given apps in turn. */
function ordersFor(appIds: number[], n: number, prefix: string): Order[] {
  return Array.from({ length: n }, (_, i) => ({
    orderNo: orderNo(prefix),
    appId: appIds[i % appIds.length],
    amount: 100 + (i % 17),
  }));
}

/**
 * Streams pays over `appIds`, SIGKILLs the service after `killAfter` acknowledgements, restarts it and retries
 * the unanswered: every acknowledged pay was committed before the kill, and every order ends applied once.
 * Returns the orders' bills' transactions (xmin), to say how they were grouped.
 */
async function killMidStream(
  db: TestDatabase,
  env: Record<string, string>,
  appIds: number[],
  n: number,
  workers: number,
  killAfter: number,
): Promise<{ app_id: number; tx: string }[]> {
  let svc = await startService(db.url, env);
  try {
    const funded = 10_000_000;
    for (const appId of appIds) await fundedAccount(svc, appId, funded);
    const orders = ordersFor(appIds, n, 'kill');
    const victim = svc;
    const seen = await stream(svc, orders, workers, killAfter, () => victim.proc.kill('SIGKILL'));
    expect(await victim.stop()).toBeNull(); // killed by the signal, not exited
    const acks = seen.filter((s) => s.kind === 'ack').length;
    expect(acks).toBeGreaterThanOrEqual(killAfter);
    expect(acks).toBeLessThan(orders.length);

    // What did the kill leave? Let the dead process's backends finish first (a COMMIT
    // already received still completes; anything else rolls back).
    for (let i = 0; i < 100; i++) {
      const busy = await db.pool.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
      );
      if (busy.rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // Some unanswered orders may have committed before the kill.
    const before = await db.pool.query(`SELECT order_no FROM bill WHERE app_id = ANY($1) AND channel = 'PAY'`, [
      appIds,
    ]);
    const committed = new Set(before.rows.map((r) => r.order_no as string));
    orders.forEach((o, i) => seen[i].kind === 'ack' && expect(committed.has(o.orderNo)).toBe(true));

    svc = await startService(db.url, env);
    const final = await retryUnacknowledged(svc, orders, seen);
    await expectExactlyOnce(db.pool, orders, final, funded);
    // The first answer to each retry: a replay exactly when the order had committed before the kill.
    orders.forEach((o, i) => {
      if (seen[i].kind === 'ack') return;
      expect({ orderNo: o.orderNo, replayed: (final[i] as { replayed: boolean }).replayed }).toEqual({
        orderNo: o.orderNo,
        replayed: committed.has(o.orderNo),
      });
    });
    const txs = await db.pool.query(
      `SELECT app_id, xmin::text AS tx FROM bill WHERE app_id = ANY($1) AND channel = 'PAY' AND order_no = ANY($2)`,
      [appIds, orders.map((o) => o.orderNo)],
    );
    return txs.rows;
  } finally {
    await svc.stop();
  }
}

describe('crash safety', () => {
  it('SIGKILL mid-stream, restart, retry the unanswered: every acknowledged pay once, none doubled', async () => {
    const db: TestDatabase = await createTestDatabase();
    try {
      await killMidStream(db, {}, [601], 150, 8, 40);
    } finally {
      await db.drop();
    }
  });

  it('SIGKILL mid-stream of pays spread over 40 accounts, committed in batches across accounts: no acknowledged member lost, none doubled', async () => {
    const db: TestDatabase = await createTestDatabase();
    try {
      const apps = Array.from({ length: 40 }, (_, i) => 700 + i);
      // One statement in flight at a time: whatever arrives meanwhile goes in the next, across accounts.
      const bills = await killMidStream(db, { BATCHING: 'accounts', BATCH_STATEMENTS: '1' }, apps, 300, 16, 80);
      const accountsPerTx = new Map<string, Set<number>>();
      for (const b of bills) accountsPerTx.set(b.tx, (accountsPerTx.get(b.tx) ?? new Set()).add(b.app_id));
      expect(Math.max(...[...accountsPerTx.values()].map((a) => a.size))).toBeGreaterThan(1);
    } finally {
      await db.drop();
    }
  });

  it('PostgreSQL stopped (immediate) mid-stream and started again: negative retCodes meanwhile, nothing half-applied, recovery without a restart', async () => {
    const pg = await PrivatePostgres.create();
    let svc: Service | undefined;
    try {
      svc = await startService(pg.url);
      const pid = svc.proc.pid;
      const appId = 602;
      const funded = 10_000_000;
      await fundedAccount(svc, appId, funded);
      const orders = ordersFor([appId], 80, 'pgdown');

      // A stream of pays; PostgreSQL goes down under it after 20 acknowledgements.
      let crashed: Promise<void> | undefined;
      const seen = await stream(svc, orders.slice(0, 60), 4, 20, () => {
        crashed = pg.crash();
      });
      await crashed;
      // While it is down: mutations and queries answer negative retCodes, the process stays up.
      const down = await Promise.all(orders.slice(60).map((o) => send(svc!, o)));
      const read = await svc.gql('query($a:Int!){ account(appId:$a){ balance } }', { a: appId });
      const health = await fetch(`${svc.url}/health`);
      expect(health.status).toBe(503);
      expect(read.errors![0].extensions).toMatchObject({ code: 'DB_READ_ERROR', retCode: -2 });
      expect(read.errors![0].message).toMatch(/database unavailable/);
      for (const s of down)
        expect(s).toMatchObject({ kind: 'error', code: expect.stringMatching(/^(DB_WRITE_ERROR|SERVER_BUSY)$/) });

      const all = [...seen, ...down];
      expect(all.some((s) => s.kind === 'none')).toBe(false); // every request got an answer
      for (const s of all) if (s.kind === 'error') expect(s.retCode).toBeLessThan(0);
      const failed = all.filter((s) => s.kind === 'error').length;
      expect(failed).toBeGreaterThanOrEqual(20);

      await pg.start();
      // The same process recovers: its pool drops the broken connections and opens new ones.
      let healthy = false;
      for (let i = 0; i < 50 && !healthy; i++) {
        healthy = (await fetch(`${svc.url}/health`)).status === 200;
        if (!healthy) await new Promise((r) => setTimeout(r, 200));
      }
      expect(healthy).toBe(true);
      expect(svc.proc.pid).toBe(pid);
      expect(svc.proc.exitCode).toBeNull();

      const final = await retryUnacknowledged(svc, orders, all);
      await expectExactlyOnce(pg.pool, orders, final, funded);
    } finally {
      await svc?.stop();
      await pg.destroy();
    }
  });
});
