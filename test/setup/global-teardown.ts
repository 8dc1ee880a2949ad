import { rmSync } from 'node:fs';
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>).__LEDGER_PG__ as { stop(): Promise<void> } | undefined;
  if (pg) {
    await pg.stop();
    // The run's embedded cluster (~0.5 GB): left behind, every run of the tests added one to the temp folder.
    if (process.env.LEDGER_TEST_DATA_DIR) rmSync(process.env.LEDGER_TEST_DATA_DIR, { recursive: true, force: true });
    return;
  }
  // External server: drop what this run created.
  const c = new Client({ connectionString: process.env.LEDGER_TEST_ADMIN_URL });
  await c.connect();
  const { rows } = await c.query(`SELECT datname FROM pg_database WHERE datname LIKE 'ledger_t\\_%' OR datname = $1`, [
    process.env.LEDGER_TEST_TEMPLATE,
  ]);
  for (const r of rows) await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
  await c.end();
}
