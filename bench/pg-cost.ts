import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { command, LedgerCommand, Operation } from '../src/common/idempotency/command';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { migrate } from '../src/database/migrate';
import { postgresRuntime } from '../src/database/postgres-runtime';
import type { PayInput } from '../src/payment/dto/money.inputs';
import { captureHoldSpec, holdSpec, releaseHoldSpec } from '../src/hold/hold.commands';
import { paySpec, rollbackSpec } from '../src/payment/payment.commands';
import { FUNDS, fundAccounts, prepareStock, Stock } from './stock';

/**
 * `npm run bench:pg-cost [-- --only items,hold --batches 10,60 --keep DIR]`
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
const BATCH = 8;
const ACCOUNTS = 2000;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const [K1, K2] = (option('batches') ?? '10,60').split(',').map(Number);
const WARMUP = Number(option('warmup') ?? 10);
const ONLY = option('only')?.split(',');
/** `--keep DIR`: keeps each run's callgrind file there (`<scenario>-<batches>.callgrind`), for callgrind_annotate. */
const KEEP = option('keep');

/** A scenario's n-th command: its app and the op's args, as the service's handler builds them. */
type Next = (seq: number) => { appId: number; args: Record<string, unknown> };
interface Scenario {
  name: string;
  op: Operation;
  next: (stock: Stock) => Next;
}

const ORIGIN = { user: 'bench', srcIp: '127.0.0.1' };
/** Spread over the accounts, as the bench's spread scenarios. */
const spread = (seq: number) => 1 + ((seq * 7919) % ACCOUNTS);
const paying =
  (input: Omit<PayInput, 'orderNo' | 'appId'>): Next =>
  (seq) => ({ appId: spread(seq), args: paySpec({ orderNo: '', appId: 0, ...input }, ORIGIN).args });

const SCENARIOS: Scenario[] = [
  { name: 'pay of an amount', op: 'pay', next: () => paying({ amount: 7 }) },
  {
    name: 'pay by items (2 items)',
    op: 'pay',
    next: () =>
      paying({
        items: [
          { name: 'bench-a', quantity: 1 },
          { name: 'bench-b', quantity: 2 },
        ],
      }),
  },
  {
    name: 'pay with a coupon',
    op: 'pay',
    next: (stock) => (seq) => {
      const c = stock.coupons[seq];
      return { appId: c.appId, args: paySpec({ orderNo: '', appId: 0, amount: 2, couponId: c.id }, ORIGIN).args };
    },
  },
  { name: 'refused pay (insufficient balance)', op: 'pay', next: () => paying({ amount: 2 * FUNDS }) },
  {
    name: 'rollback',
    op: 'rollback',
    next: (stock) => (seq) => {
      const p = stock.pays[seq];
      return { appId: p.appId, args: rollbackSpec({ orderNo: '', appId: 0, payOrderNo: p.orderNo }, ORIGIN).args };
    },
  },
  {
    name: 'hold',
    op: 'hold',
    next: () => (seq) => ({
      appId: spread(seq),
      args: holdSpec({ orderNo: '', appId: 0, amount: 1, ttlSeconds: 3600 }, ORIGIN).args,
    }),
  },
  {
    name: 'captureHold',
    op: 'captureHold',
    next: (stock) => (seq) => {
      const h = stock.captures[seq];
      return { appId: h.appId, args: captureHoldSpec({ orderNo: '', appId: 0, holdId: h.id }, ORIGIN).args };
    },
  },
  {
    name: 'releaseHold',
    op: 'releaseHold',
    next: (stock) => (seq) => {
      const h = stock.releases[seq];
      return { appId: h.appId, args: releaseHoldSpec({ orderNo: '', appId: 0, holdId: h.id }, ORIGIN).args };
    },
  },
];

/**
 * A migrated cluster with funded accounts, a used ledger's history and the stock the mutations consume (stock.ts,
 * as the bench prepares it); returns its directory and the stock.
 */
async function prepare(dataDir: string): Promise<{ cluster: string; stock: Stock }> {
  const pg = await startEmbeddedPostgres({ dataDir, database: 'ledger' });
  let stock: Stock;
  try {
    await migrate(pg.url);
    const pool = new Pool({ connectionString: pg.url, max: 1 });
    await fundAccounts(pool, ACCOUNTS);
    await pool.query(
      `INSERT INTO bill (bill_id, app_id, order_no, channel, amount, old_balance, new_balance, status, ret_code)
       SELECT nextval('serial_seq'), 1 + g % $1, 'hist-' || g, 'PAY', 0, $2, $2, 'SUCCESS', 0
         FROM generate_series(1, 200000) g`,
      [ACCOUNTS, FUNDS],
    );
    await pool.query(
      `INSERT INTO idempotency_key (app_id, order_no, operation, fingerprint, response)
       SELECT 1 + g % $1, 'hist-' || g, 'pay', 'x', '{"data": {}}' FROM generate_series(1, 200000) g`,
      [ACCOUNTS],
    );
    // Enough of each for the longest script (one row per command).
    stock = await prepareStock(pool, ACCOUNTS, (WARMUP + K2) * BATCH + 1);
    await pool.query('VACUUM ANALYZE');
    await pool.query('CHECKPOINT');
    await pool.end();
  } finally {
    await pg.stop();
  }
  const state = JSON.parse(readFileSync(join(dataDir, 'embedded.json'), 'utf8')) as { clusterDir?: string };
  return { cluster: state.clusterDir ?? join(dataDir, 'pg'), stock };
}

function script(s: Scenario, stock: Stock, batches: number): string {
  const next = s.next(stock);
  const statements: string[] = [];
  let seq = 0;
  for (let b = 0; b < WARMUP + batches; b++) {
    const cmds: LedgerCommand[] = [];
    for (let j = 0; j < BATCH; j++) {
      seq++;
      const { appId, args } = next(seq);
      const orderNo = `cost-${seq}`;
      cmds.push(
        // As the bench's GraphQL queries ask (bill { billId amount newBalance }): no priceInfo in the answer.
        command({
          op: s.op,
          appId,
          orderNo,
          origin: ORIGIN,
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
function instructions(cluster: string, stock: Stock, work: string, s: Scenario, batches: number): number {
  const runtime = postgresRuntime();
  const copy = join(work, 'cluster');
  rmSync(copy, { recursive: true, force: true });
  cpSync(cluster, copy, { recursive: true });
  const scriptFile = join(work, 'script.sql');
  writeFileSync(scriptFile, script(s, stock, batches));
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
  if (KEEP) cpSync(out, join(KEEP, `${s.name.replace(/\W+/g, '-')}-${batches}.callgrind`));
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
    const { cluster, stock } = await prepare(dataDir);
    const rows: { scenario: string; instructions: number }[] = [];
    for (const s of SCENARIOS.filter((x) => !ONLY || ONLY.some((w) => x.name.includes(w)))) {
      const few = instructions(cluster, stock, work, s, K1);
      const many = instructions(cluster, stock, work, s, K2);
      const perCommand = (many - few) / ((K2 - K1) * BATCH);
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
