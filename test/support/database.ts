import { randomBytes } from 'node:crypto';
import { Client, Pool, types } from 'pg';

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

/** A fresh database for one test file, cloned from the migrated template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.LEDGER_TEST_ADMIN_URL!;
  const template = process.env.LEDGER_TEST_TEMPLATE!;
  const name = `ledger_t_${randomBytes(6).toString('hex')}`;
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (err) {
        // Two files cloning the template at the same instant: one waits and retries.
        if ((err as { code?: string }).code !== '55006' || attempt > 50) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await c.end();
  }
  const url = withDatabase(adminUrl, name);
  // Fixtures written by SQL are not postings: they write no events (src/event; the service's connections do).
  // A million bills loaded for the reconciliation test would otherwise become a million events to sequence.
  const pool = new Pool({ connectionString: url, max: 4, options: '-c ledger.events=off' });
  return {
    url,
    pool,
    drop: async () => {
      await pool.end();
      const d = new Client({ connectionString: adminUrl });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}
