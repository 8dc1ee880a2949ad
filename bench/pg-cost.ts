import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { command, LedgerCommand, Operation } from '../src/common/idempotency/command';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { migrate } from '../src/database/migrate';
import { postgresRuntime } from '../src/database/postgres-runtime';

/**
 * `npm run bench:pg-cost [-- --only items,hold --batches 10,60]`
 *
 * PostgreSQL's own cost of each money mutation, counted in instructions, not seconds: the same count on every run
 * of the same code, whatever else the machine is doing (the bench's req/s moves by ±10% between rounds on a
 * shared host; this does not move). Needs valgrind (Debian: `apt-get install valgrind`); a tool for developers, not
 * a test.
 *
 * It migrates a fresh embedded cluster, funds 2,000 accounts (with 200,000 bills and dedupe keys of history, so
 * the planner sees a used ledger), prepares what the mutations consume (coupons, pays to roll back, open holds)
 * and stops it. Then, for each mutation, a copy of that cluster runs in single-user mode under callgrind: W
 * batches of warm-up and K batches of 8 commands built by `command()`, each `SELECT ledger_run_batch(…)` (one
 * backend, a commit per batch, as the service's group commit sends them). Run with K1 and with K2 batches, the
 * difference divided by the commands between them is the cost of one command: start-up, warm-up and the shutdown
 * checkpoint cancel out. pg_checksum_page is left out: in a running server the checkpointer and the background
 * writer compute page checksums, not the backend that runs the command.
 */
const KEY_BATCH = 8;
const ACCOUNTS = 2000;
const STOCK = 20_000;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const [K1, K2] = (option('batches') ?? '10,60').split(',').map(Number);
const WARMUP = Number(option('warmup') ?? 10);
const ONLY = option('only')?.split(',');

interface Scenario {
  name: string;
  op: Operation;
  /** The command's app: spread like the bench's, or the app of the prepared row a mutation consumes. */
  appId: (seq: number) => number;
  args: (seq: number) => Record<string, unknown>;
}

const spread = (seq: number) => 1 + ((seq * 7919) % ACCOUNTS);
/** Prepared row `seq` (coupon, pay, hold) belongs to this app (see prepare()). */
const stockApp = (seq: number) => 1 + (seq % ACCOUNTS);
const pay = (o: Record<string, unknown>) => ({ amount: null, items: null, couponId: null, info: null, ...o });

const SCENARIOS: Scenario[] = [
  { name: 'pay of an amount', op: 'pay', appId: spread, args: () => pay({ amount: 7 }) },
  {
    name: 'pay by items (2 items)',
    op: 'pay',
    appId: spread,
    args: () =>
      pay({
        items: [
          { name: 'bench-a', quantity: 1 },
          { name: 'bench-b', quantity: 2 },
        ],
      }),
  },
  { name: 'pay with a coupon', op: 'pay', appId: stockApp, args: (s) => pay({ amount: 2, couponId: String(s) }) },
  { name: 'refused pay (insufficient balance)', op: 'pay', appId: spread, args: () => pay({ amount: 2e12 }) },
  { name: 'rollback', op: 'rollback', appId: stockApp, args: (s) => ({ payOrderNo: `bench-pay-${s}`, reason: null }) },
  { name: 'hold', op: 'hold', appId: spread, args: () => ({ amount: 1, ttlSeconds: 3600, info: null }) },
  { name: 'captureHold', op: 'captureHold', appId: stockApp, args: (s) => ({ holdId: String(s), amount: null }) },
  { name: 'releaseHold', op: 'releaseHold', appId: stockApp, args: (s) => ({ holdId: String(STOCK + s) }) },
];

/** A migrated cluster with funded accounts and the stock the mutations consume; returns its directory. */
async function prepare(dataDir: string): Promise<string> {
  const pg = await startEmbeddedPostgres({ dataDir, database: 'ledger' });
  try {
    await migrate(pg.url);
    const c = new Client({ connectionString: pg.url });
    await c.connect();
    const funds = 1_000_000_000_000;
    await c.query(
      `WITH a AS (INSERT INTO account (app_id, balance, version) SELECT g, $2, 1 FROM generate_series(1, $1) g
                  RETURNING app_id, balance)
       INSERT INTO bill (bill_id, app_id, order_no, channel, amount, old_balance, new_balance, status, ret_code)
       SELECT nextval('serial_seq'), app_id, 'bench-fund', 'RECHARGE', balance, 0, balance, 'SUCCESS', 0 FROM a`,
      [ACCOUNTS, funds],
    );
    await c.query(
      `INSERT INTO bill (bill_id, app_id, order_no, channel, amount, old_balance, new_balance, status, ret_code)
       SELECT nextval('serial_seq'), 1 + g % $1, 'hist-' || g, 'PAY', 0, $2, $2, 'SUCCESS', 0
         FROM generate_series(1, 200000) g`,
      [ACCOUNTS, funds],
    );
    await c.query(
      `INSERT INTO idempotency_key (app_id, order_no, operation, fingerprint, response)
       SELECT 1 + g % $1, 'hist-' || g, 'pay', 'x', '{"data": {}}' FROM generate_series(1, 200000) g`,
      [ACCOUNTS],
    );
    await c.query(
      `INSERT INTO price (name, price, billing) VALUES ('bench-a', 3, 'ONE_TIME'), ('bench-b', 5, 'ONE_TIME')`,
    );
    await c.query(
      `INSERT INTO coupon_template (code, name, discount, min_spend, per_app_limit, valid_days)
       VALUES ('BENCH', 'bench', 1, 0, 1000000, 30)`,
    );
    // Row g of each kind belongs to app 1 + g % ACCOUNTS (stockApp); coupons and holds are numbered from 1.
    await c.query(
      `INSERT INTO coupon (app_id, template_code, discount, min_spend, status, order_no, expires_at)
       SELECT 1 + g % $1, 'BENCH', 1, 0, 'ISSUED', 'bench-coupon-' || g, now() + interval '30 days'
         FROM generate_series(1, $2) g ORDER BY g`,
      [ACCOUNTS, STOCK],
    );
    await c.query(
      `WITH b AS (INSERT INTO bill (bill_id, app_id, order_no, channel, amount, old_balance, new_balance, status, ret_code)
                  SELECT nextval('serial_seq'), 1 + g % $1, 'bench-pay-' || g, 'PAY', -1, $3::bigint, $3::bigint - 1,
                         'SUCCESS', 0
                    FROM generate_series(1, $2) g RETURNING app_id),
            a AS (UPDATE account SET balance = balance - c.n FROM (SELECT app_id, count(*) AS n FROM b GROUP BY app_id) c
                   WHERE account.app_id = c.app_id)
       SELECT 1`,
      [ACCOUNTS, STOCK, funds],
    );
    await c.query(
      `WITH h AS (INSERT INTO hold (app_id, order_no, bill_id, amount, expires_at)
                  SELECT 1 + g % $1, 'bench-hold-' || g, nextval('serial_seq'), 1, now() + interval '1 day'
                    FROM generate_series(1, $2 * 2) g ORDER BY g RETURNING app_id),
            a AS (UPDATE account SET held = held + c.n FROM (SELECT app_id, count(*) AS n FROM h GROUP BY app_id) c
                   WHERE account.app_id = c.app_id)
       SELECT 1`,
      [ACCOUNTS, STOCK],
    );
    await c.query('VACUUM ANALYZE');
    await c.query('CHECKPOINT');
    await c.end();
  } finally {
    await pg.stop();
  }
  const state = JSON.parse(readFileSync(join(dataDir, 'embedded.json'), 'utf8')) as { clusterDir?: string };
  return state.clusterDir ?? join(dataDir, 'pg');
}

function script(s: Scenario, batches: number): string {
  const statements: string[] = [];
  let seq = 0;
  for (let b = 0; b < WARMUP + batches; b++) {
    const cmds: LedgerCommand[] = [];
    for (let j = 0; j < KEY_BATCH; j++) {
      seq++;
      const appId = s.appId(seq);
      const orderNo = `cost-${seq}`;
      const args = s.args(seq);
      cmds.push(
        // As the bench's GraphQL queries ask (bill { billId amount newBalance }): no priceInfo in the answer.
        command({
          op: s.op,
          appId,
          orderNo,
          origin: { user: 'bench', srcIp: '127.0.0.1' },
          args,
          fingerprinted: { orderNo, appId, ...args },
          answerPriceInfo: false,
        }),
      );
    }
    // Single-user mode with -j ends a statement at a semicolon followed by an empty line.
    statements.push(`SELECT length(ledger_run_batch($j$${JSON.stringify(cmds)}$j$::jsonb)::text);\n\n`);
  }
  return statements.join('');
}

/** Instructions of a single-user backend running the scenario's script of W + batches batches. */
function instructions(cluster: string, work: string, s: Scenario, batches: number): number {
  const runtime = postgresRuntime();
  const copy = join(work, 'cluster');
  rmSync(copy, { recursive: true, force: true });
  cpSync(cluster, copy, { recursive: true });
  const scriptFile = join(work, 'script.sql');
  writeFileSync(scriptFile, script(s, batches));
  const out = join(work, 'callgrind.out');
  rmSync(out, { force: true });
  if (runtime.user) for (const p of [work, copy]) chownR(p, runtime.user.uid, runtime.user.gid);
  const run = spawnSync(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${out}`,
      join(runtime.binDir, 'postgres'),
      '--single',
      '-j',
      '-D',
      copy,
      'ledger',
    ],
    {
      stdio: [openSync(scriptFile, 'r'), 'pipe', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      ...(runtime.user ?? {}),
    },
  );
  const collected = /Collected : (\d+)/.exec(run.stderr);
  const failed = /\bERROR:/.exec(`${run.stdout}${run.stderr}`);
  if (!collected || failed) {
    throw new Error(
      `${s.name}: the single-user backend failed:\n${run.stderr.slice(-3000)}\n${run.stdout.slice(-2000)}`,
    );
  }
  const annotated = execFileSync('callgrind_annotate', ['--threshold=100', out], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const checksums = /([\d,]+) \([^)]*\)\s+\S*:pg_checksum_page /.exec(annotated);
  return Number(collected[1]) - (checksums ? Number(checksums[1].replace(/,/g, '')) : 0);
}

function chownR(path: string, uid: number, gid: number): void {
  execFileSync('chown', ['-R', `${uid}:${gid}`, path]);
}

async function main(): Promise<void> {
  execFileSync('valgrind', ['--version']);
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-pg-cost-'));
  const work = join(dataDir, 'work');
  try {
    mkdirSync(work);
    const cluster = await prepare(dataDir);
    const rows: { scenario: string; instructions: number }[] = [];
    for (const s of SCENARIOS.filter((x) => !ONLY || ONLY.some((w) => x.name.includes(w)))) {
      const few = instructions(cluster, work, s, K1);
      const many = instructions(cluster, work, s, K2);
      const perCommand = (many - few) / ((K2 - K1) * KEY_BATCH);
      rows.push({ scenario: s.name, instructions: Math.round(perCommand) });
      console.log(`${s.name}: ${(perCommand / 1000).toFixed(1)} k instructions per command`);
    }
    const pay = rows.find((r) => r.scenario === 'pay of an amount')?.instructions;
    console.log('\n| mutation | k instructions per command | ratio to a pay of an amount |\n|---|---:|---:|');
    for (const r of rows) {
      const ratio = pay ? `${(r.instructions / pay).toFixed(3)}×` : '';
      console.log(`| ${r.scenario} | ${(r.instructions / 1000).toFixed(1)} | ${ratio} |`);
    }
    const file = join(
      __dirname,
      '..',
      '..',
      'bench',
      'results',
      `${new Date().toISOString().replace(/[:.]/g, '-')}-pg-cost.json`,
    );
    mkdirSync(join(__dirname, '..', '..', 'bench', 'results'), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify({ date: new Date().toISOString(), batches: [K1, K2], warmup: WARMUP, rows }, null, 1),
    );
    console.log(`written ${file}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
