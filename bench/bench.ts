/* eslint-disable no-console */
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool, types } from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { migrate } from '../src/database/migrate';

/**
 * `npm run bench [-- --duration 10 --connections 32 --accounts 10000 --workers 1 --warmup 2 --history 10000000 --only pay,raw]`
 *
 * Starts the service in production mode on a fresh database (embedded PostgreSQL, or a new database on
 * DATABASE_URL's server), prepares funded accounts by SQL, and measures with autocannon: pay spread over the
 * accounts, pay on one hot account, a replayed pay, an account read and `{ __typename }` (the framework's
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
/** Service processes (the service's WORKERS). */
const WORKERS = arg('workers', 1);
/** Seconds of unmeasured load before each service scenario. */
const WARMUP = arg('warmup', 2);
/** `--only pay,raw`: run only the scenarios whose name contains one of these words (for profiling). */
const ONLY = process.argv.includes('--only')
  ? process.argv[process.argv.indexOf('--only') + 1]
      .split(',')
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
const FUNDS = 1_000_000_000_000;

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

async function prepare(pool: Pool): Promise<void> {
  // Funded accounts written as the ledger would have them: an account and its RECHARGE bill.
  await pool.query(
    `WITH a AS (INSERT INTO account (app_id, balance, version)
                SELECT g, $2, 1 FROM generate_series(1, $1) g RETURNING app_id, balance)
     INSERT INTO bill (bill_id, app_id, order_no, channel, amount, old_balance, new_balance, status, ret_code, info)
     SELECT nextval('serial_seq'), app_id, 'bench-fund', 'RECHARGE', balance, 0, balance, 'SUCCESS', 0, 'bench funding' FROM a`,
    [ACCOUNTS, FUNDS],
  );
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
      WORKERS: String(WORKERS),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (c: Buffer) => {
      const m = /Ledger ready: GraphQL at (http:\/\/localhost:\d+)\/graphql/.exec(c.toString());
      if (m) resolve({ url: m[1], proc });
    });
    proc.once('exit', (code) => reject(new Error(`service exited ${code}`)));
  });
}

const PAY = `mutation($i: PayInput!) { pay(input: $i) { replayed bill { billId amount newBalance } account { balance } } }`;

async function cannon(scenario: string, url: string, body: () => string, pid = servicePid): Promise<Row> {
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
  const result = await load(DURATION, (status, resBody) => {
    if (status !== 200 || resBody.includes('"errors"')) failures.set(scenario, (failures.get(scenario) ?? 0) + 1);
  });
  const cpu1 = cpuSeconds(pid);
  const db1 = postgresCpuSeconds(postgresPid);
  const errors = result.errors + result.timeouts + result.non2xx + (failures.get(scenario) ?? 0);
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
  };
}
const failures = new Map<string, number>();

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
          const r = await pool.query(sql, [appOf(), nextOrder('raw'), 1]);
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
  const r = await pool.query(`
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
    const pg = await startEmbeddedPostgres({ dataDir, database: 'ledger' });
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
  await prepare(pool);
  const svc = await startService(dbUrl);
  servicePid = svc.proc.pid;
  const off = EVENTS_OFF ? await startService(dbUrl, { EVENTS: 'off' }) : null;
  console.log(
    `service at ${svc.url} (WORKERS=${WORKERS}); ${ACCOUNTS} accounts; ${CONNECTIONS} connections; ${DURATION} s per scenario after ${WARMUP} s of warm-up`,
  );

  const replayOrder = nextOrder('replay');
  const replayBody = JSON.stringify({
    query: PAY,
    variables: { i: { orderNo: replayOrder, appId: HOT_APP, amount: 1 } },
  });
  // warm-up (also creates the order the replay scenario repeats)
  await cannonQuick(svc.url, replayBody);

  const scenarios: [string, () => Promise<Row>][] = [
    ['raw SQL debit, spread', () => rawBaseline('raw SQL debit, spread', pool, randomApp)],
    ['raw SQL debit, hot account', () => rawBaseline('raw SQL debit, hot account', pool, () => HOT_APP)],
    [
      'pay, spread',
      () =>
        cannon('pay, spread', svc.url, () =>
          JSON.stringify({ query: PAY, variables: { i: { orderNo: nextOrder('s'), appId: randomApp(), amount: 1 } } }),
        ),
    ],
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
              off.proc.pid,
            ),
        ])
      : []),
    ['pay, replayed', () => cannon('pay, replayed', svc.url, () => replayBody)],
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
  // Each "…, events off" scenario runs right after its events-on twin, so the machine's drift between them is small.
  scenarios.sort(([a], [b]) => twin(a) - twin(b));
  const runAll = async (names: (name: string) => boolean) => {
    const rows: Row[] = [];
    for (const [name, run] of scenarios) if (selected(name) && names(name)) rows.push(await run());
    return rows;
  };

  let table: string;
  let results: Record<string, Row[]>;
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
    const rows = await runAll(() => true);
    const base = (s: string) => rows.find((r) => r.scenario === s)?.rps ?? NaN;
    const ratio: Record<string, string> = {
      'pay, spread': `${((100 * base('pay, spread')) / base('raw SQL debit, spread')).toFixed(0)}% of raw spread`,
      'pay, hot account': `${((100 * base('pay, hot account')) / base('raw SQL debit, hot account')).toFixed(0)}% of raw hot`,
      'pay, replayed': `${(base('pay, replayed') / base('pay, spread')).toFixed(1)}× first pay`,
      'pay, spread, events off': `events on: ${((100 * base('pay, spread')) / base('pay, spread, events off')).toFixed(0)}% of this`,
      'pay, hot account, events off': `events on: ${((100 * base('pay, hot account')) / base('pay, hot account, events off')).toFixed(0)}% of this`,
    };
    table = [
      `| scenario | req/s | p50 ms | p99 ms | errors | ratio | service CPU ms/req | PostgreSQL CPU ms/req |`,
      `|---|---:|---:|---:|---:|---|---:|---:|`,
      ...rows.map(
        (r) =>
          `| ${r.scenario} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} | ${ratio[r.scenario] ?? ''} | ${r.cpuMs === undefined ? '' : r.cpuMs.toFixed(2)} | ${r.dbCpuMs === undefined ? '' : r.dbCpuMs.toFixed(2)} |`,
      ),
    ].join('\n');
    results = { rows };
  }
  for (const p of [svc.proc, off?.proc]) {
    if (!p) continue;
    p.kill('SIGTERM');
    await new Promise((r) => p.once('exit', r));
  }
  const breaks = await ledgerBreaks(pool);
  await pool.end();
  await stopDb();

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
        connections: CONNECTIONS,
        accounts: ACCOUNTS,
        workers: WORKERS,
        history: HISTORY,
        ...results,
        breaks,
      },
      null,
      2,
    ),
  );
  console.log(`written ${file}`);
  if (breaks) process.exitCode = 1;
}

async function cannonQuick(url: string, body: string): Promise<void> {
  await autocannon({ url: `${url}/graphql`, connections: 4, amount: 200, method: 'POST', body, headers: HEADERS });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
