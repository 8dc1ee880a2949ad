import { randomBytes } from 'node:crypto';
import { Client, Pool, PoolConfig, types } from 'pg';
import { retry } from '../../src/common/retry';

// bigint columns as numbers, as the service reads them (money stays below 2^53).
types.setTypeParser(types.builtins.INT8, Number);
types.setTypeParser(types.builtins.NUMERIC, Number);

export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

/**
 * A pool of a test's own. An idle connection the server ends (57P01 was seen under a full suite's load on a shared
 * machine, in the fixtures' pool and in group-commit's) is not a test failure: the pool replaces it on the next
 * query, and a query on it fails loudly in its own test. Without a listener, pg's pool throws it as an unhandled
 * 'error' event and fails whichever test is running. (The service's pools are TypeORM's, which listens.)
 */
export function testPool(config: PoolConfig): Pool {
  const pool = new Pool(config);
  pool.on('error', (err) => console.warn(`test pool: an idle connection ended: ${err.message}`));
  return pool;
}

/** A fresh database for one test file, cloned from the migrated template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.LEDGER_TEST_ADMIN_URL!;
  const template = process.env.LEDGER_TEST_TEMPLATE!;
  const name = `ledger_t_${randomBytes(6).toString('hex')}`;
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    // Two files cloning the template at the same instant: one waits and retries.
    await retry(() => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`), {
      delays: Array<number>(50).fill(300),
      jitter: true,
      retryOn: (err) => (err as { code?: string }).code === '55006',
    });
  } finally {
    await c.end();
  }
  const url = withDatabase(adminUrl, name);
  // Fixtures written by SQL are not postings: they write no events (src/event; the service's connections do).
  // A million bills loaded for the reconciliation test would otherwise become a million events to sequence.
  const pool = testPool({ connectionString: url, max: 4, options: '-c ledger.events=off' });
  return {
    url,
    pool,
    drop: async () => {
      await pool.end();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** One connection to `url` for `fn`, closed afterwards. */
export async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** One statement on the test server's admin database (CREATE or DROP DATABASE). */
export async function adminQuery(sql: string): Promise<void> {
  await withClient(process.env.LEDGER_TEST_ADMIN_URL!, (c) => c.query(sql));
}

/** A new database with nothing in it (no migrations), for a test that migrates it itself; `drop` removes it. */
export async function createEmptyDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  return {
    url: withDatabase(process.env.LEDGER_TEST_ADMIN_URL!, name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
