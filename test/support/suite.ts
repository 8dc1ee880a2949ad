import { createTestDatabase, TestDatabase } from './database';
import { ledgerBreaks } from './ledger';
import { Service, startService } from './service';

/**
 * A test file's ledger: its own database (cloned from the migrated template)
 * and one service per env given (one with defaults when none), all on it.
 */
export async function openLedger(
  ...envs: Record<string, string>[]
): Promise<{ db: TestDatabase; services: Service[] }> {
  const db = await createTestDatabase();
  try {
    const services = await Promise.all((envs.length ? envs : [{}]).map((env) => startService(db.url, env)));
    return { db, services };
  } catch (err) {
    await db.drop();
    throw err;
  }
}

/** Asserts the ledger oracle (unless `audit: false`), stops the services and drops the database. */
export async function closeLedger(
  db: TestDatabase | undefined,
  services: (Service | undefined)[],
  opts: { audit?: boolean } = {},
): Promise<void> {
  try {
    if (db && opts.audit !== false) expect(await ledgerBreaks(db.pool)).toEqual([]);
  } finally {
    await Promise.all(services.map(async (s) => s?.stop()));
    await db?.drop();
  }
}
