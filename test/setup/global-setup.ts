import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { withDatabase } from '../support/database';

/**
 * Builds the service once, starts one PostgreSQL (embedded with fsync off, or
 * DATABASE_URL's server) and migrates a template database that every test
 * file clones. What workers need goes through process.env.
 */
export default async function globalSetup(): Promise<void> {
  const root = join(__dirname, '..', '..');
  if (!process.env.LEDGER_TEST_SKIP_BUILD) {
    execFileSync(process.execPath, [join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build'], {
      cwd: root,
      stdio: 'inherit',
    });
  }
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-test-'));
    // Loaded from the build: the package is an ES module, which Node's require() loads but Jest's does not.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startEmbeddedPostgres } = require(join(root, 'dist', 'src', 'database', 'embedded-postgres.js'));
    const pg = await startEmbeddedPostgres({ dataDir, database: 'postgres', unsafeFast: true });
    (globalThis as Record<string, unknown>).__LEDGER_PG__ = pg;
    adminUrl = pg.adminUrl;
    process.env.LEDGER_TEST_DATA_DIR = dataDir;
  }
  const template = `ledger_template_${process.pid}`;
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${template}`);
  await c.query(`CREATE DATABASE ${template}`);
  await c.end();
  const templateUrl = withDatabase(adminUrl, template);
  execFileSync(
    process.execPath,
    [
      '-e',
      `require('./dist/src/database/migrate').migrate(process.argv[1]).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })`,
      templateUrl,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  process.env.LEDGER_TEST_ADMIN_URL = adminUrl;
  process.env.LEDGER_TEST_TEMPLATE = template;
}
