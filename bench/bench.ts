import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool, types } from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { migrate } from '../src/database/migrate';
import { FUNDS, fundAccounts, prepareStock } from './stock';

/**
 * `npm run bench [-- --duration 10 --connections 32 --accounts 10000 --workers 1 --warmup 2 --history 10000000 --only pay,raw --variants 'BATCHING=account;BATCH_STATEMENTS=2']`
 *
 * Starts the service in production mode on a fresh database (embedded PostgreSQL, or a new database on
 * DATABASE_URL's server), prepares funded accounts by SQL, and measures with autocannon: pay spread over the
 * accounts, pay on one hot account, a replayed pay, the other mutations (pay by items, with a coupon, a refused
 * pay, rollback, hold, captureHold, releaseHold, each spread), an account read and `{ __typename }` (the framework's
 * own ceiling). In the same run it measures the raw-SQL baseline: the same debit (dedupe insert,
 * conditional balance update, bill insert) as ONE statement through pg at the same concurrency. Prints a
 * markdown table, writes JSON to bench/results/, and checks the ledger afterwards. Not a test.
 *
 * `--history N`: the service scenarios on the empty ledger, then again after bulk-loading N bills by SQL, in
 * the same run, with the change of each (`{ __typename }` reads nothing: the control for machine drift).
 */
types.setTypeParser(types.builtins.INT8, Number);
types.setTypeParser(types.builtins.NUMERIC, Number);

const ROOT = join(__dirname, '..', '..');
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const HOT_APP = 1;
const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` };

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}
const DURATION = arg('duration', 10);
const CONNECTIONS = arg('connections', 32);
const ACCOUNTS = arg('accounts', 10_000);
const HISTORY = arg('history', 0);
/**
 * The service's settings to compare in one run. `--workers 1,2` (the service's WORKERS): the service scenarios
 * once per count. `--variants 'BATCHING=account;BATCH_STATEMENTS=2 WORKERS=2'`: once per variant (variables
 * separated by spaces, variants by `;`). The raw baseline runs once; each row of a second or later variant is
 * marked with it.
 */
const VARIANTS: Record<string, string>[] = process.argv.includes('--variants')
  ? process.argv[process.argv.indexOf('--variants') + 1].split(';').map((v): Record<string, string> =>
      Object.fromEntries(
        v
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map((kv): [string, string] => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      ),
    )
  : (process.argv.includes('--workers') ? process.argv[process.argv.indexOf('--workers') + 1] : '1')
      .split(',')
      .map((n) => ({ WORKERS: n }));
const variantName = (v: Record<string, string>) =>
  Object.entries(v)
    .map(([k, x]) => `${k}=${x}`)
    .join(' ') || 'defaults';
/**
 * The other mutations are each compared with a pay of an amount in `--rounds` rounds of two segments each
 * (pay then mutation, then mutation then pay, …; each segment DURATION / rounds long after its own warm-up), so
 * that the machine's drift within a minute falls on both alike. An even number of rounds balances the order.
 */
const ROUNDS = arg('rounds', 4);
/**
 * `--unpaired`: each other mutation measured alone, DURATION long, with no pay beside it and no ratio (for a
 * `--cpu-prof` of one mutation: a paired run's profile mixes it with the pays).
 */
const UNPAIRED = process.argv.includes('--unpaired');
/** Seconds of unmeasured load before each service scenario. */
const WARMUP = arg('warmup', 2);
/**
 * `--only pay,raw`: run only the scenarios whose name contains one of these words (for profiling); with a `|`,
 * the words are separated by `|` instead, so that names with commas can be given: `--only 'pay, spread|raw'`.
 */
const ONLY = process.argv.includes('--only')
  ? process.argv[process.argv.indexOf('--only') + 1]
      .split(process.argv[process.argv.indexOf('--only') + 1].includes('|') ? '|' : ',')
      .map((w) => w.trim())
      .filter(Boolean)
  : null;
/**
 * `--events-off`: a second service on the same database with EVENTS=off (no outbox rows), and
 * "…, events off" runs of the pay scenarios right after the events-on ones, to price the events (issue 16).
 */
const EVENTS_OFF = process.argv.includes('--events-off');
/** Scenario order: an events-off scenario sorts right after its twin (Array.prototype.sort is stable). */
const ORDER = ['raw SQL debit, spread', 'raw SQL debit, hot account', 'pay, spread', 'pay, hot account'];
const twin = (name: string) => {
  const i = ORDER.indexOf(name.replace(/, events off$/, ''));
  return i < 0 ? ORDER.length : i + (name.endsWith(', events off') ? 0.5 : 0);
};
const selected = (scenario: string) => !ONLY || ONLY.some((w) => scenario.includes(w));

interface Row {
  scenario: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  /** The service's own CPU (user + system) per request, in ms: steadier than req/s on a shared machine. */
  cpuMs?: number;
  /** CPU of the embedded PostgreSQL (postmaster and backends) per request; unset on an external server. */
  dbCpuMs?: number;
  /**
   * The server's WAL per request while it ran (pg_stat_wal, whole server): bytes, full-page images, and the
   * autovacuum runs (vacuum or analyze of a table) and checkpoints that finished meanwhile. What lands on one
   * segment and not on its neighbour.
   */
  wal?: WalStats;
}

interface WalStats {
  bytes: number;
  fpi: number;
  autovacuums: number;
  checkpoints: number;
}

/**
 * Before each scenario, as pgbench vacuums before each run: `VACUUM (ANALYZE)` of the whole database, so that the
 * vacuuming and analyzing that autovacuum owes for the scenarios before it (and for the prepared stock) is done
 * now, unmeasured, instead of landing on whichever segment of the next scenario it falls in (runs with 8–9
 * autovacuums ending in one segment measured that segment 10–15% slower than its neighbours). No CHECKPOINT:
 * right after one, every page's first change writes the whole page to the WAL, which would charge the first
 * segment. `--no-settle` leaves autovacuum to its own timing.
 */
const SETTLE = !process.argv.includes('--no-settle');

/**
 * The bench's own embedded server spaces checkpoints beyond a run (a whole run writes ~3 GB of WAL in ~15 min), so
 * that no checkpoint starts while scenarios are measured: after one starts, every page's first change writes the
 * whole page to the WAL (a full-page image), and whichever segment that falls in measures the checkpoint's timing,
 * not its mutation (in three runs in a row one segment took 0.85–1.9 full-page images per request and measured
 * 0.74–0.75× against 0.90–0.97× for its other rounds). Each request's WAL is still measured and reported.
 * `--checkpoints` keeps the service's own settings (a checkpoint at least every 15 min, or every ~2 GB of WAL).
 * On an external server (DATABASE_URL), its own settings apply.
 */
const SERVER_SETTINGS = process.argv.includes('--checkpoints') ? [] : ['checkpoint_timeout=1h', 'max_wal_size=32GB'];

async function settle(pool: Pool): Promise<void> {
  if (SETTLE) await pool.query('VACUUM (ANALYZE)');
}

/** The bench's own pool, for the WAL counters around each segment (set once the database is up). */
let statsPool: Pool | undefined;

async function walCounters(): Promise<WalStats | undefined> {
  if (!statsPool) return undefined;
  const { rows } = await statsPool.query<{ bytes: string; fpi: string; autovacuums: string; checkpoints: string }>(
    `SELECT w.wal_bytes::text AS bytes, w.wal_fpi::text AS fpi,
            (SELECT sum(autovacuum_count + autoanalyze_count) FROM pg_stat_user_tables)::text AS autovacuums,
            (SELECT num_done FROM pg_stat_checkpointer)::text AS checkpoints
       FROM pg_stat_wal w`,
  );
  const r = rows[0];
  return {
    bytes: Number(r.bytes),
    fpi: Number(r.fpi),
    autovacuums: Number(r.autovacuums),
    checkpoints: Number(r.checkpoints),
  };
}

/** CPU seconds used so far by a process and its children (the workers), from Linux /proc; undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const own = (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (USER_HZ = 100)
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    return children.reduce((sum, c) => sum + (cpuSeconds(c) ?? 0), own);
  } catch {
    return undefined;
  }
}
let servicePid: number | undefined;

/** CPU seconds of PostgreSQL: the postmaster, its live backends, and those that exited (cutime, cstime). */
function postgresCpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const reaped = (Number(fields[13]) + Number(fields[14])) / 100;
    return reaped + cpuSeconds(pid)!;
  } catch {
    return undefined;
  }
}
let postgresPid: number | undefined;

let seq = 0;
const runId = Date.now().toString(36);
const nextOrder = (p: string) => `${p}-${runId}-${++seq}`;
const randomApp = () => 2 + Math.floor(Math.random() * (ACCOUNTS - 1));

/**
 * Requests each scenario may send at most (its warm-ups included, one per round), at up to 6,000/s: what
 * prepareStock() (stock.ts) makes for them. (At 3,000/s a faster host ran out: rollbacks at 3,100/s went round to pays already
 * rolled back, and 2,302 answered ALREADY_REVERSED; taker() now says when a scenario runs out.)
 */
const PER_SCENARIO = (DURATION + ROUNDS * WARMUP) * 6000;

/**
 * The next pre-made row of a scenario (each is used once). Past the last it starts again, so the scenario's
 * requests fail and count as errors; the first time, it says so.
 */
function taker<T>(rows: T[], what: string): () => T {
  let i = 0;
  return () => {
    if (i === rows.length) console.warn(`bench: the ${rows.length} prepared ${what} ran out; the rest are errors`);
    return rows[i++ % rows.length];
  };
}

async function loadHistory(pool: Pool, bills: number): Promise<void> {
  // History on the bench accounts, chained per account (+1, −1 alternating keeps balances unchanged).
  console.log(`loading ${bills} bills of history...`);
  const t = Date.now();
  const batch = 1_000_000;
  for (let done = 0; done < bills; done += batch) {
    const n = Math.min(batch, bills - done);
    await pool.query(
      `INSERT INTO bill (bill_id, app_id, order_no, channel, amount, old_balance, new_balance, status, ret_code, created_at)
       SELECT nextval('serial_seq'), 2 + (g % ($3 - 1)), 'hist-' || ($1 + g), 'PAY', 0, $2, $2, 'SUCCESS', 0,
              now() - interval '400 days' + (g * interval '1 second')
         FROM generate_series(1, $4) g`,
      [done, FUNDS, ACCOUNTS, n],
    );
  }
  await pool.query('VACUUM ANALYZE bill');
  // Write the loaded pages out now, so the measurement does not share the disk with the checkpoint that follows
  // a bulk load (it halved the raw baseline and slowed even `{ __typename }` by a fifth in one run).
  await pool.query('CHECKPOINT');
  console.log(`history loaded in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

function startService(
  databaseUrl: string,
  variant: Record<string, string>,
  env: Record<string, string> = {},
): Promise<{ url: string; proc: ChildProcess }> {
  // BENCH_SERVICE_NODE_ARGS passes flags to the service's node (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist', 'src', 'main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      DATABASE_URL: databaseUrl,
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'warn',
      ...variant,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    proc.stdout.on('data', (c: Buffer) => {
      const m = /Ledger ready: GraphQL at (http:\/\/localhost:\d+)\/graphql/.exec(c.toString());
      if (m) resolve({ url: m[1], proc });
    });
    proc.once('exit', (code) => reject(new Error(`service exited ${code}`)));
  });
}

const PAY = `mutation($i: PayInput!) { pay(input: $i) { replayed bill { billId amount newBalance } account { balance } } }`;
const ROLLBACK = `mutation($i: RollbackInput!) { rollback(input: $i) { replayed bill { billId amount newBalance } account { balance } } }`;
const HOLD = `mutation($i: HoldInput!) { hold(input: $i) { replayed hold { id status } account { held } } }`;
const CAPTURE = `mutation($i: CaptureHoldInput!) { captureHold(input: $i) { replayed bill { billId amount newBalance } account { balance } } }`;
const RELEASE = `mutation($i: ReleaseHoldInput!) { releaseHold(input: $i) { replayed hold { id status } account { held } } }`;
const gql = (query: string, i: unknown) => JSON.stringify({ query, variables: { i } });

/**
 * `refusal`: the error code every answer of the scenario is meant to carry (a refused pay); anything else is an
 * error. `pid`: the service process whose CPU is counted.
 */
/** How long cannon() measures (s); a paired comparison measures shorter segments. */
let segment = DURATION;

async function cannon(
  scenario: string,
  url: string,
  body: () => string,
  refusal?: string,
  pid = servicePid,
): Promise<Row> {
  const duration = segment;
  const load = (duration: number, onResponse?: (status: number, resBody: string) => void) =>
    autocannon({
      url: `${url}/graphql`,
      connections: CONNECTIONS,
      duration,
      requests: [{ method: 'POST', headers: HEADERS, setupRequest: (req) => ({ ...req, body: body() }), onResponse }],
    });
  // Unmeasured warm-up with the same requests: the JIT and the pool's prepared statements settle first.
  if (WARMUP > 0) await load(WARMUP);
  const cpu0 = cpuSeconds(pid);
  const db0 = postgresCpuSeconds(postgresPid);
  const wal0 = await walCounters();
  let refused = 0;
  const result = await load(duration, (status, resBody) => {
    const failed = refusal ? !resBody.includes(`"code":"${refusal}"`) : status !== 200 || resBody.includes('"errors"');
    if (failed) refused++;
  });
  const cpu1 = cpuSeconds(pid);
  const db1 = postgresCpuSeconds(postgresPid);
  const wal1 = await walCounters();
  const errors = result.errors + result.timeouts + result.non2xx + refused;
  const requests = result.requests.total;
  const cpuMs = cpu0 !== undefined && cpu1 !== undefined && requests ? (1000 * (cpu1 - cpu0)) / requests : undefined;
  const dbCpuMs = db0 !== undefined && db1 !== undefined && requests ? (1000 * (db1 - db0)) / requests : undefined;
  return {
    scenario,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
    requests,
    cpuMs,
    dbCpuMs,
    wal:
      wal0 && wal1 && requests
        ? {
            bytes: Math.round((wal1.bytes - wal0.bytes) / requests),
            fpi: (wal1.fpi - wal0.fpi) / requests,
            autovacuums: wal1.autovacuums - wal0.autovacuums,
            checkpoints: wal1.checkpoints - wal0.checkpoints,
          }
        : undefined,
  };
}
/**
 * One row of several segments of a scenario: requests, errors and CPU summed (req/s over their whole time); p50
 * the requests-weighted mean of the segments', p99 the worst segment's (percentiles do not add up).
 */
function merged(parts: Row[]): Row {
  const requests = parts.reduce((n, p) => n + p.requests, 0);
  const sumOf = (f: (p: Row) => number | undefined) =>
    parts.every((p) => f(p) !== undefined) ? parts.reduce((n, p) => n + f(p)! * p.requests, 0) / requests : undefined;
  return {
    scenario: parts[0].scenario,
    rps: parts.reduce((n, p) => n + p.rps, 0) / parts.length,
    p50: Math.round(sumOf((p) => p.p50)!),
    p99: Math.max(...parts.map((p) => p.p99)),
    errors: parts.reduce((n, p) => n + p.errors, 0),
    requests,
    cpuMs: sumOf((p) => p.cpuMs),
    dbCpuMs: sumOf((p) => p.dbCpuMs),
    wal: parts.every((p) => p.wal)
      ? {
          bytes: Math.round(sumOf((p) => p.wal!.bytes)!),
          fpi: sumOf((p) => p.wal!.fpi)!,
          autovacuums: parts.reduce((n, p) => n + p.wal!.autovacuums, 0),
          checkpoints: parts.reduce((n, p) => n + p.wal!.checkpoints, 0),
        }
      : undefined,
  };
}

/** The raw-SQL baseline: the same debit as one statement, CONNECTIONS clients in a closed loop. */
async function rawBaseline(scenario: string, pool: Pool, appOf: () => number): Promise<Row> {
  const sql = `
    WITH d AS (INSERT INTO idempotency_key (app_id, order_no, operation, fingerprint, response)
               VALUES ($1, $2, 'pay', 'raw', '{}') ON CONFLICT DO NOTHING RETURNING 1),
         acc AS (UPDATE account SET balance = balance - $3, version = version + 1, updated_at = now()
                  WHERE app_id = $1 AND NOT frozen AND balance - held >= $3 AND EXISTS (SELECT 1 FROM d) RETURNING *),
         b AS (INSERT INTO bill (bill_id, app_id, order_no, channel, amount, old_balance, new_balance, status, ret_code)
               SELECT nextval('serial_seq'), app_id, $2, 'PAY', -$3, balance + $3, balance, 'SUCCESS', 0 FROM acc RETURNING id)
    SELECT count(*)::int AS n FROM b`;
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + DURATION * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) {
        const t = process.hrtime.bigint();
        try {
          const r = await pool.query<{ n: number }>(sql, [appOf(), nextOrder('raw'), 1]);
          if (r.rows[0].n !== 1) errors++;
        } catch {
          errors++;
        }
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]);
  return {
    scenario,
    rps: Math.round(latencies.length / DURATION),
    p50: pct(50),
    p99: pct(99),
    errors,
    requests: latencies.length,
  };
}

async function ledgerBreaks(pool: Pool): Promise<number> {
  const r = await pool.query<{ breaks: string }>(`
    SELECT (SELECT count(*) FROM account a WHERE a.balance <> (SELECT COALESCE(sum(amount), 0) FROM bill b
             WHERE b.app_id = a.app_id AND b.status = 'SUCCESS'))
         + (SELECT count(*) FROM bill WHERE status = 'SUCCESS' AND old_balance + amount <> new_balance) AS breaks`);
  return Number(r.rows[0].breaks);
}

async function main(): Promise<void> {
  let dbUrl: string;
  let stopDb = async () => undefined as void;
  if (process.env.DATABASE_URL) {
    const name = `ledger_bench_${runId}`;
    const c = new Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    dbUrl = u.toString();
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
    const pg = await startEmbeddedPostgres({ dataDir, database: 'ledger', settings: SERVER_SETTINGS });
    dbUrl = pg.url;
    postgresPid = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    // The throwaway cluster is removed afterwards (a --history run leaves gigabytes otherwise).
    stopDb = async () => {
      await pg.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
  }
  await migrate(dbUrl);
  // The bench's own SQL (funding, the raw baseline) writes no events: the raw debit stays what it was before events.
  const pool = new Pool({ connectionString: dbUrl, max: CONNECTIONS, options: '-c ledger.events=off' });
  statsPool = pool;
  // An idle client's connection ending (the cluster stopping) is reported, not a crash of the run.
  pool.on('error', (err) => console.error(`bench pool: ${err.message}`));
  await fundAccounts(pool, ACCOUNTS);
  const stock = await prepareStock(pool, ACCOUNTS, PER_SCENARIO);
  const coupon = taker(stock.coupons, 'coupons');
  const payToRollBack = taker(stock.pays, 'pays to roll back');
  const toCapture = taker(stock.captures, 'holds to capture');
  const toRelease = taker(stock.releases, 'holds to release');
  let svc = await startService(dbUrl, VARIANTS[0]);
  servicePid = svc.proc.pid;
  const off = EVENTS_OFF ? await startService(dbUrl, VARIANTS[0], { EVENTS: 'off' }) : null;
  console.log(
    `service at ${svc.url} (${VARIANTS.map(variantName).join(', then ')}); ${ACCOUNTS} accounts; ${CONNECTIONS} connections; ${DURATION} s per scenario after ${WARMUP} s of warm-up`,
  );
  const stopService = async () => {
    svc.proc.kill('SIGTERM');
    await new Promise((r) => svc.proc.once('exit', r));
  };

  const replayOrder = nextOrder('replay');
  const replayBody = JSON.stringify({
    query: PAY,
    variables: { i: { orderNo: replayOrder, appId: HOT_APP, amount: 1 } },
  });
  // warm-up (also creates the order the replay scenario repeats)
  await cannonQuick(svc.url, replayBody);
  // Unmeasured load of spread pays first: otherwise the first measured mutation (the pay every other mutation
  // is compared with) also pays for the JIT and the pool's first prepared statements.
  if (WARMUP > 0) {
    await autocannon({
      url: `${svc.url}/graphql`,
      connections: CONNECTIONS,
      duration: 3 * WARMUP,
      requests: [
        {
          method: 'POST',
          headers: HEADERS,
          setupRequest: (req) => ({
            ...req,
            body: gql(PAY, { orderNo: nextOrder('w'), appId: randomApp(), amount: 1 }),
          }),
        },
      ],
    });
  }

  const payBody = () => gql(PAY, { orderNo: nextOrder('s'), appId: randomApp(), amount: 1 });
  const scenarios: [string, () => Promise<Row>][] = [
    ['raw SQL debit, spread', () => rawBaseline('raw SQL debit, spread', pool, randomApp)],
    ['raw SQL debit, hot account', () => rawBaseline('raw SQL debit, hot account', pool, () => HOT_APP)],
    ['pay, spread', () => cannon('pay, spread', svc.url, payBody)],
    [
      'pay, hot account',
      () =>
        cannon('pay, hot account', svc.url, () =>
          JSON.stringify({ query: PAY, variables: { i: { orderNo: nextOrder('h'), appId: HOT_APP, amount: 1 } } }),
        ),
    ],
    ...(off
      ? (['spread', 'hot account'] as const).map((kind): [string, () => Promise<Row>] => [
          `pay, ${kind}, events off`,
          () =>
            cannon(
              `pay, ${kind}, events off`,
              off.url,
              () =>
                JSON.stringify({
                  query: PAY,
                  variables: {
                    i: { orderNo: nextOrder('x'), appId: kind === 'spread' ? randomApp() : HOT_APP, amount: 1 },
                  },
                }),
              undefined,
              off.proc.pid,
            ),
        ])
      : []),
    ['pay, replayed', () => cannon('pay, replayed', svc.url, () => replayBody)],
    [
      'pay by items (2 items), spread',
      () =>
        cannon('pay by items (2 items), spread', svc.url, () =>
          gql(PAY, {
            orderNo: nextOrder('i'),
            appId: randomApp(),
            items: [
              { name: 'bench-a', quantity: 1 },
              { name: 'bench-b', quantity: 2 },
            ],
          }),
        ),
    ],
    [
      'pay with a coupon, spread',
      () =>
        cannon('pay with a coupon, spread', svc.url, () => {
          const c = coupon();
          return gql(PAY, { orderNo: nextOrder('c'), appId: c.appId, amount: 2, couponId: c.id });
        }),
    ],
    [
      'refused pay (insufficient balance, stored), spread',
      () =>
        cannon(
          'refused pay (insufficient balance, stored), spread',
          svc.url,
          () => gql(PAY, { orderNo: nextOrder('f'), appId: randomApp(), amount: 2 * FUNDS }),
          'INSUFFICIENT_BALANCE',
        ),
    ],
    [
      'rollback, spread',
      () =>
        cannon('rollback, spread', svc.url, () => {
          const p = payToRollBack();
          return gql(ROLLBACK, { orderNo: nextOrder('r'), appId: p.appId, payOrderNo: p.orderNo });
        }),
    ],
    [
      'hold, spread',
      () =>
        cannon('hold, spread', svc.url, () =>
          gql(HOLD, { orderNo: nextOrder('o'), appId: randomApp(), amount: 1, ttlSeconds: 3600 }),
        ),
    ],
    [
      'captureHold, spread',
      () =>
        cannon('captureHold, spread', svc.url, () => {
          const h = toCapture();
          return gql(CAPTURE, { orderNo: nextOrder('k'), appId: h.appId, holdId: h.id });
        }),
    ],
    [
      'releaseHold, spread',
      () =>
        cannon('releaseHold, spread', svc.url, () => {
          const h = toRelease();
          return gql(RELEASE, { orderNo: nextOrder('l'), appId: h.appId, holdId: h.id });
        }),
    ],
    [
      'account read',
      () =>
        cannon('account read', svc.url, () =>
          JSON.stringify({
            query: `query($a:Int!){ account(appId:$a){ balance available version } }`,
            variables: { a: randomApp() },
          }),
        ),
    ],
    ['{ __typename }', () => cannon('{ __typename }', svc.url, () => '{"query":"{ __typename }"}')],
  ];
  /** The mutations compared with the pay of an amount: each is measured right after a pay of its own. */
  const isOther = (name: string) => name.endsWith(', spread') && !name.startsWith('pay, ') && !name.startsWith('raw');
  const besides = new Map<string, Row>();
  /** Each round's two segments as measured (req/s, CPU, WAL): what made a round differ from the others. */
  const roundRows = new Map<string, { it: Row; pay: Row }[]>();
  /** Each round's ratio (the mutation's req/s ÷ the pay's in that round): how far one run's ratio can be trusted. */
  const roundRatios = (name: string) => (roundRows.get(name) ?? []).map(({ it, pay }) => it.rps / pay.rps);
  // Each "…, events off" scenario runs right after its events-on twin, so the machine's drift between them is small.
  scenarios.sort(([a], [b]) => twin(a) - twin(b));
  const runAll = async (names: (name: string) => boolean, paired = false) => {
    const rows: Row[] = [];
    for (const [name, run] of scenarios) {
      if (!selected(name) || !names(name)) continue;
      await settle(pool);
      if (UNPAIRED || !paired || !isOther(name)) {
        rows.push(await run());
        continue;
      }
      // The machine's speed drifts within minutes; a pay measured in turns with the mutation is its fair reference.
      // The turns alternate which goes first (pay, mutation; mutation, pay; …): a drift that lasts the whole
      // comparison then favours neither side.
      const pays: Row[] = [];
      const its: Row[] = [];
      segment = DURATION / ROUNDS;
      try {
        for (let r = 0; r < ROUNDS; r++) {
          const pay = () => cannon(`pay beside ${name}`, svc.url, payBody);
          if (r % 2 === 0) {
            pays.push(await pay());
            its.push(await run());
          } else {
            its.push(await run());
            pays.push(await pay());
          }
        }
      } finally {
        segment = DURATION;
      }
      besides.set(name, merged(pays));
      roundRows.set(
        name,
        its.map((it, r) => ({ it, pay: pays[r] })),
      );
      rows.push(merged(its));
    }
    return rows;
  };

  let table: string;
  let results: Record<string, unknown>;
  if (HISTORY > 0) {
    // The same service scenarios on the empty ledger, then after the load, in one run: `{ __typename }`,
    // which reads nothing, is the control for the machine's own drift in between.
    await runAll((n) => !n.startsWith('raw')); // unmeasured: the first pass also pays for the JIT
    const empty = await runAll((n) => !n.startsWith('raw'));
    await loadHistory(pool, HISTORY);
    const history = await runAll((n) => !n.startsWith('raw'));
    const change = (a: number, b: number) => `${b >= a ? '+' : ''}${((100 * (b - a)) / a).toFixed(0)}%`;
    table = [
      `With ${HISTORY} bills of history, against the same run's empty ledger:\n`,
      `| scenario | empty req/s | history req/s | change | empty p50 ms | history p50 ms | empty CPU ms/req | history CPU ms/req | change |`,
      `|---|---:|---:|---:|---:|---:|---:|---:|---:|`,
      ...empty.map((e, i) => {
        const h = history[i];
        return `| ${e.scenario} | ${Math.round(e.rps)} | ${Math.round(h.rps)} | ${change(e.rps, h.rps)} | ${e.p50} | ${h.p50} | ${e.cpuMs?.toFixed(2) ?? ''} | ${h.cpuMs?.toFixed(2) ?? ''} | ${e.cpuMs && h.cpuMs ? change(e.cpuMs, h.cpuMs) : ''} |`;
      }),
    ].join('\n');
    results = { empty, history };
  } else {
    const rows = await runAll((n) => n.startsWith('raw'));
    for (const [i, variant] of VARIANTS.entries()) {
      if (i > 0) {
        await stopService();
        svc = await startService(dbUrl, variant);
        servicePid = svc.proc.pid;
        await cannonQuick(svc.url, replayBody);
      }
      const tag = VARIANTS.length > 1 ? ` (\`${variantName(variant)}\`)` : '';
      // The other mutations consume prepared stock (coupons, pays, holds), and the events-off service is started
      // once: both are measured with the first count only.
      const names = (n: string) => !n.startsWith('raw') && (i === 0 || (!isOther(n) && !n.endsWith('events off')));
      for (const r of await runAll(names, true)) rows.push({ ...r, scenario: r.scenario + tag });
    }
    const rps = (s: string) => rows.find((r) => r.scenario === s)?.rps ?? NaN;
    const ratio = (scenario: string): string => {
      const tag = / \(`[^`]*`\)$/.exec(scenario)?.[0] ?? '';
      const name = scenario.slice(0, scenario.length - tag.length);
      const r = rps(scenario);
      if (name === 'pay, spread') return `${((100 * r) / rps('raw SQL debit, spread')).toFixed(0)}% of raw spread`;
      if (name === 'pay, hot account')
        return `${((100 * r) / rps('raw SQL debit, hot account')).toFixed(0)}% of raw hot`;
      if (name === 'pay, replayed') return `${(r / rps('pay, spread' + tag)).toFixed(1)}× first pay`;
      if (name.endsWith(', events off')) {
        const on = rps(name.slice(0, -', events off'.length) + tag);
        return `events on: ${((100 * on) / r).toFixed(0)}% of this`;
      }
      // The other mutations, each as a ratio to the pay of an amount measured just before it (req/s, and service
      // CPU per request: pay's ms / its ms, so above 1 means cheaper than a pay).
      const p = besides.get(name);
      const row = rows.find((x) => x.scenario === scenario);
      if (!p || !row) return '';
      const cpu = p.cpuMs && row.cpuMs ? `, CPU ${(p.cpuMs / row.cpuMs).toFixed(2)}×` : '';
      const rounds = roundRatios(name);
      const spread =
        rounds.length > 1 ? `; rounds ${Math.min(...rounds).toFixed(2)}–${Math.max(...rounds).toFixed(2)}×` : '';
      return `${(row.rps / p.rps).toFixed(2)}× pay (${Math.round(p.rps)}/s beside it${spread})${cpu}`;
    };
    table = [
      `| scenario | req/s | p50 ms | p99 ms | errors | ratio | service CPU ms/req | PostgreSQL CPU ms/req |`,
      `|---|---:|---:|---:|---:|---|---:|---:|`,
      ...rows.map(
        (r) =>
          `| ${r.scenario} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} | ${ratio(r.scenario)} | ${r.cpuMs === undefined ? '' : r.cpuMs.toFixed(2)} | ${r.dbCpuMs === undefined ? '' : r.dbCpuMs.toFixed(2)} |`,
      ),
    ].join('\n');
    results = {
      rows,
      paysBeside: [...besides.values()],
      roundRatios: Object.fromEntries([...roundRows.keys()].map((n) => [n, roundRatios(n)])),
      rounds: Object.fromEntries(roundRows),
    };
  }
  await stopService();
  if (off) {
    off.proc.kill('SIGTERM');
    await new Promise((r) => off.proc.once('exit', r));
  }
  const breaks = await ledgerBreaks(pool);
  await pool.end();

  console.log(`\n${table}\n\nledger audit after the run: ${breaks === 0 ? 'ok (0 breaks)' : `${breaks} BREAKS`}`);
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  const file = join(
    ROOT,
    'bench',
    'results',
    `${new Date().toISOString().replace(/[:.]/g, '-')}${HISTORY ? `-history-${HISTORY}` : ''}.json`,
  );
  writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        duration: DURATION,
        warmup: WARMUP,
        settled: SETTLE,
        serverSettings: process.env.DATABASE_URL ? 'external' : SERVER_SETTINGS,
        connections: CONNECTIONS,
        accounts: ACCOUNTS,
        variants: VARIANTS,
        history: HISTORY,
        ...results,
        breaks,
      },
      null,
      2,
    ),
  );
  console.log(`written ${file}`);
  // Last: the figures are out even if stopping the throwaway cluster goes wrong.
  await stopDb();
  if (breaks) process.exitCode = 1;
}

async function cannonQuick(url: string, body: string): Promise<void> {
  await autocannon({ url: `${url}/graphql`, connections: 4, amount: 200, method: 'POST', body, headers: HEADERS });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
