import { TestDatabase } from './support/database';
import { CAPTURE, errorOf, fundedAccount, HOLD, ok, orderNo, PAY, RELEASE } from './support/ledger';
import { GqlResult, Service } from './support/service';
import { closeLedger, openLedger } from './support/suite';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function account(pool: TestDatabase['pool'], appId: number) {
  const { rows } = await pool.query('SELECT balance, held FROM account WHERE app_id = $1', [appId]);
  return { balance: Number(rows[0].balance), held: Number(rows[0].held) };
}

async function holdRow(pool: TestDatabase['pool'], appId: number, id: string) {
  const { rows } = await pool.query('SELECT status, captured, bill_id FROM hold WHERE app_id = $1 AND id = $2', [
    appId,
    id,
  ]);
  return rows[0] as { status: string; captured: number; bill_id: number };
}

/** Waits (polling the database, bounded) until the given holds are no longer OPEN. */
async function untilEnded(pool: TestDatabase['pool'], appIds: number[], timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM hold WHERE app_id = ANY($1) AND status = 'OPEN'`,
      [appIds],
    );
    if (rows[0].n === 0) return;
    if (Date.now() > end) throw new Error(`${rows[0].n} holds still OPEN after ${timeoutMs} ms`);
    await sleep(100);
  }
}

describe('holds: one service, expiry job off (lazy expiry only)', () => {
  let db: TestDatabase;
  let svc: Service;

  beforeAll(async () => {
    ({
      db,
      services: [svc],
    } = await openLedger({ HOLD_EXPIRY_INTERVAL_MS: '0' }));
  });

  afterAll(() => closeLedger(db, [svc]));

  it('a partial capture debits what it captures and releases the rest; the hold then ends once only', async () => {
    await fundedAccount(svc, 201, 1_000);
    const placed = ok(
      await svc.gql(HOLD, { input: { orderNo: orderNo('h'), appId: 201, amount: 600, ttlSeconds: 3600 } }),
    ).hold;
    expect(placed.account).toEqual({ appId: 201, balance: 1_000, held: 600, available: 400 });
    expect(placed.hold).toMatchObject({ status: 'OPEN', amount: 600, captured: 0 });

    const capIn = { orderNo: orderNo('cap'), appId: 201, holdId: placed.hold.id, amount: 250 };
    const cap = ok(await svc.gql(CAPTURE, { input: capIn })).captureHold;
    expect(cap.bill).toMatchObject({
      channel: 'CAPTURE',
      amount: -250,
      oldBalance: 1_000,
      newBalance: 750,
      status: 'SUCCESS',
      billId: placed.hold.billId,
    });
    expect(cap.account).toMatchObject({ balance: 750, held: 0, available: 750 });
    expect(await holdRow(db.pool, 201, placed.hold.id)).toMatchObject({ status: 'CAPTURED', captured: 250 });

    const again = await svc.gql(CAPTURE, { input: { ...capIn, orderNo: orderNo('cap2') } });
    expect(errorOf(again)).toMatchObject({ code: 'HOLD_NOT_OPEN', retCode: 8 });
    const rel = await svc.gql(RELEASE, { input: { orderNo: orderNo('rel'), appId: 201, holdId: placed.hold.id } });
    expect(errorOf(rel)).toMatchObject({ code: 'HOLD_NOT_OPEN', retCode: 8 });
    const replay = ok(await svc.gql(CAPTURE, { input: capIn })).captureHold;
    expect(replay).toEqual({ ...cap, replayed: true });

    const bills = await db.pool.query(
      'SELECT channel, amount, status FROM bill WHERE app_id = 201 AND bill_id = $1 ORDER BY id',
      [placed.hold.billId],
    );
    expect(bills.rows).toEqual([
      { channel: 'HOLD', amount: 0, status: 'SUCCESS' },
      { channel: 'CAPTURE', amount: -250, status: 'SUCCESS' },
    ]);
    expect(await account(db.pool, 201)).toEqual({ balance: 750, held: 0 });

    // A release ends a hold with no debit.
    const other = ok(
      await svc.gql(HOLD, { input: { orderNo: orderNo('h'), appId: 201, amount: 700, ttlSeconds: 3600 } }),
    ).hold;
    expect(other.account).toMatchObject({ balance: 750, held: 700, available: 50 });
    const released = ok(
      await svc.gql(RELEASE, { input: { orderNo: orderNo('rel'), appId: 201, holdId: other.hold.id } }),
    ).releaseHold;
    expect(released.hold).toMatchObject({ id: other.hold.id, status: 'RELEASED', captured: 0, amount: 700 });
    expect(released.hold.endedAt).not.toBeNull();
    expect(released.account).toEqual({ appId: 201, balance: 750, held: 0, available: 750 });

    const read = ok(
      await svc.gql(
        `query($i:ID!){ hold(appId:201, id:$i){ id status captured } holds(appId:201, status: CAPTURED){ id } }`,
        {
          i: other.hold.id,
        },
      ),
    );
    expect(read).toEqual({
      hold: { id: other.hold.id, status: 'RELEASED', captured: 0 },
      holds: [{ id: placed.hold.id }],
    });
  });

  it('a capture above the hold is INVALID_ARGUMENT, changes nothing and is not stored', async () => {
    await fundedAccount(svc, 202, 1_000);
    const { hold } = ok(
      await svc.gql(HOLD, { input: { orderNo: orderNo('h'), appId: 202, amount: 300, ttlSeconds: 3600 } }),
    ).hold;
    const input = { orderNo: orderNo('over'), appId: 202, holdId: hold.id, amount: 301 };
    expect(errorOf(await svc.gql(CAPTURE, { input }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      retCode: 6,
      field: 'input.amount',
    });
    expect(await holdRow(db.pool, 202, hold.id)).toMatchObject({ status: 'OPEN', captured: 0 });
    expect(await account(db.pool, 202)).toEqual({ balance: 1_000, held: 300 });
    const dedupe = await db.pool.query(
      'SELECT count(*)::int AS n FROM idempotency_key WHERE app_id = 202 AND order_no = $1',
      [input.orderNo],
    );
    expect(dedupe.rows[0].n).toBe(0);
    // Corrected under the same orderNo, it runs afresh.
    const cap = ok(await svc.gql(CAPTURE, { input: { ...input, amount: 300 } })).captureHold;
    expect(cap).toMatchObject({ replayed: false, account: { balance: 700, held: 0 } });
  });

  it("a hold's orderNo, its dedupe key purged, places no second hold: its HOLD bill keeps it unique", async () => {
    await fundedAccount(svc, 207, 1_000);
    const input = { orderNo: orderNo('h'), appId: 207, amount: 100, ttlSeconds: 3600 };
    ok(await svc.gql(HOLD, { input }));
    await db.pool.query('DELETE FROM idempotency_key WHERE app_id = 207 AND order_no = $1', [input.orderNo]);
    expect(errorOf(await svc.gql(HOLD, { input }))).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM hold WHERE app_id = 207');
    expect(rows[0].n).toBe(1);
    expect(await account(db.pool, 207)).toEqual({ balance: 1_000, held: 100 });
  });

  it('a capture of an expired hold answers HOLD_NOT_OPEN (no job ran) and the money is available again', async () => {
    await fundedAccount(svc, 203, 1_000);
    const { hold, account: reserved } = ok(
      await svc.gql(HOLD, { input: { orderNo: orderNo('h'), appId: 203, amount: 1_000, ttlSeconds: 1 } }),
    ).hold;
    expect(reserved.available).toBe(0);
    expect(errorOf(await svc.gql(PAY, { input: { orderNo: orderNo('p'), appId: 203, amount: 1 } }))).toMatchObject({
      code: 'INSUFFICIENT_BALANCE',
    });
    await sleep(new Date(hold.expiresAt).getTime() - Date.now() + 100);
    // The job is off: the hold is past its deadline but still OPEN in the table.
    expect((await holdRow(db.pool, 203, hold.id)).status).toBe('OPEN');

    const input = { orderNo: orderNo('late'), appId: 203, holdId: hold.id };
    expect(errorOf(await svc.gql(CAPTURE, { input }))).toMatchObject({ code: 'HOLD_NOT_OPEN', retCode: 8 });
    expect(errorOf(await svc.gql(CAPTURE, { input }))).toMatchObject({ code: 'HOLD_NOT_OPEN', replayed: true });
    expect((await holdRow(db.pool, 203, hold.id)).status).toBe('EXPIRED');
    const release = await db.pool.query(
      `SELECT order_no, amount, info, status FROM bill WHERE app_id = 203 AND bill_id = $1 AND channel = 'RELEASE'`,
      [hold.billId],
    );
    expect(release.rows).toEqual([{ order_no: `expire/${hold.id}`, amount: 0, info: 'expired', status: 'SUCCESS' }]);
    expect(await account(db.pool, 203)).toEqual({ balance: 1_000, held: 0 });
    const pay = ok(await svc.gql(PAY, { input: { orderNo: orderNo('p'), appId: 203, amount: 1_000 } })).pay;
    expect(pay.account).toMatchObject({ balance: 0, held: 0 });
  });

  it('100 concurrent holds and pays on one account never make available negative or held > balance', async () => {
    const start = 5_000;
    await fundedAccount(svc, 204, start);
    const reqs = Array.from({ length: 100 }, (_, i) => ({
      kind: i % 2 ? 'pay' : 'hold',
      input: { orderNo: orderNo(i % 2 ? 'p' : 'h'), appId: 204, amount: 50 + ((i * 37) % 101) },
    }));
    expect(reqs.reduce((s, r) => s + r.input.amount, 0)).toBeGreaterThan(start); // some must be refused

    const samples: { balance: number; held: number }[] = [];
    let running = true;
    const sampler = (async () => {
      while (running) {
        samples.push(await account(db.pool, 204));
        await sleep(5);
      }
    })();
    const results: GqlResult[] = await Promise.all(
      reqs.map((r) =>
        r.kind === 'pay'
          ? svc.gql(PAY, { input: r.input })
          : svc.gql(HOLD, { input: { ...r.input, ttlSeconds: 3600 } }),
      ),
    );
    running = false;
    await sampler;

    let paid = 0;
    let held = 0;
    let refused = 0;
    results.forEach((res, i) => {
      if (res.errors) {
        expect(errorOf(res).code).toBe('INSUFFICIENT_BALANCE');
        refused++;
      } else if (reqs[i].kind === 'pay') paid += reqs[i].input.amount;
      else held += reqs[i].input.amount;
    });
    expect(refused).toBeGreaterThan(0);
    expect(await account(db.pool, 204)).toEqual({ balance: start - paid, held });
    expect(held).toBeLessThanOrEqual(start - paid);
    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples) {
      expect(s.held).toBeLessThanOrEqual(s.balance);
      expect(s.held).toBeGreaterThanOrEqual(0);
    }
    const failed = await db.pool.query(`SELECT count(*)::int AS n FROM bill WHERE app_id = 204 AND status = 'FAILED'`);
    expect(failed.rows[0].n).toBe(refused);
  });
});

describe('holds: two service instances on one database, both running the expiry job', () => {
  let db: TestDatabase;
  let a: Service;
  let b: Service;

  beforeAll(async () => {
    ({
      db,
      services: [a, b],
    } = await openLedger({ HOLD_EXPIRY_INTERVAL_MS: '100' }, { HOLD_EXPIRY_INTERVAL_MS: '100' }));
  });

  afterAll(async () => {
    for (const s of [a, b]) expect(s?.output.join('')).not.toContain('hold expiry batch failed');
    await closeLedger(db, [a, b]);
  });

  it('capture, release and expiry racing on one hold (20 + 20 requests, 1 s TTL): exactly one ends it', async () => {
    const start = 10_000;
    await fundedAccount(a, 301, start);
    // Fired at several distances from the 1 s deadline, so that capture, release, lazy expiry and the job all get to win.
    const offsets = [0, 0, 600, 1000, 1300];
    const rounds = await Promise.all(
      offsets.map(async (offset, round) => {
        const { hold } = ok(
          await a.gql(HOLD, { input: { orderNo: orderNo('h'), appId: 301, amount: 500, ttlSeconds: 1 } }),
        ).hold;
        await sleep(offset);
        const results = await Promise.all(
          Array.from({ length: 40 }, (_, i) => {
            const svc = i % 4 < 2 ? a : b;
            const release = (i + round) % 2 === 1; // rounds alternate which kind is sent first
            const input = { orderNo: orderNo(release ? 'rel' : 'cap'), appId: 301, holdId: hold.id };
            return release
              ? svc.gql(RELEASE, { input }).then((r) => ({ kind: 'release', r }))
              : svc.gql(CAPTURE, { input: { ...input, amount: 300 } }).then((r) => ({ kind: 'capture', r }));
          }),
        );
        return { hold, results };
      }),
    );
    await untilEnded(db.pool, [301]);

    let captured = 0;
    for (const { hold, results } of rounds) {
      const wins = results.filter((x) => !x.r.errors);
      for (const x of results.filter((y) => y.r.errors)) expect(errorOf(x.r)).toMatchObject({ code: 'HOLD_NOT_OPEN' });
      const row = await holdRow(db.pool, 301, hold.id);
      const ending = await db.pool.query(
        `SELECT channel, order_no, amount FROM bill WHERE app_id = 301 AND bill_id = $1 AND status = 'SUCCESS' AND channel <> 'HOLD'`,
        [hold.billId],
      );
      expect(ending.rows).toHaveLength(1);
      expect(wins.length).toBeLessThanOrEqual(1);
      if (wins.length === 1) {
        expect(row.status).toBe(wins[0].kind === 'capture' ? 'CAPTURED' : 'RELEASED');
        expect(ending.rows[0].channel).toBe(wins[0].kind === 'capture' ? 'CAPTURE' : 'RELEASE');
        const answer = wins[0].kind === 'capture' ? ok(wins[0].r).captureHold.bill : ok(wins[0].r).releaseHold.hold;
        expect(answer.billId).toBe(hold.billId);
      } else {
        expect(row.status).toBe('EXPIRED');
        expect(ending.rows[0]).toEqual({ channel: 'RELEASE', order_no: `expire/${hold.id}`, amount: 0 });
      }
      if (row.status === 'CAPTURED') captured += 300;
    }
    expect(await account(db.pool, 301)).toEqual({ balance: start - captured, held: 0 });
  });

  it('each hold expires once when both instances run the job', async () => {
    await Promise.all([fundedAccount(a, 302, 100_000), fundedAccount(b, 303, 100_000)]);
    const placed = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        (i % 2 ? a : b).gql(HOLD, {
          input: { orderNo: orderNo('h'), appId: 302 + (i % 2), amount: 100 + i, ttlSeconds: 1 },
        }),
      ),
    );
    const holds = placed.map((r) => ok(r).hold.hold);
    await untilEnded(db.pool, [302, 303]);

    const { rows } = await db.pool.query(
      `SELECT h.id::text AS id, h.status, count(b.id)::int AS releases,
              array_agg(b.order_no) AS order_nos, array_agg(b.info) AS infos
         FROM hold h
         LEFT JOIN bill b ON b.app_id = h.app_id AND b.bill_id = h.bill_id AND b.channel = 'RELEASE'
        WHERE h.app_id IN (302, 303)
        GROUP BY h.id, h.status`,
    );
    expect(rows).toHaveLength(60);
    for (const r of rows) {
      expect(r).toEqual({
        id: r.id,
        status: 'EXPIRED',
        releases: 1,
        order_nos: [`expire/${r.id}`],
        infos: ['expired'],
      });
    }
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(holds.map((h) => h.id)));
    expect(await account(db.pool, 302)).toEqual({ balance: 100_000, held: 0 });
    expect(await account(db.pool, 303)).toEqual({ balance: 100_000, held: 0 });
  });
});
