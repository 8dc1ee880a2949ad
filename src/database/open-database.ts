import type { LedgerEnv } from '../config/env';
import type { EmbeddedPostgresHandle, EmbeddedPostgresOptions } from './embedded-postgres';
import { migrate } from './migrate';

export interface OpenDatabase {
  url: string;
  /** Set when this process started (or reused) the embedded PostgreSQL of DATA_DIR. */
  embedded?: EmbeddedPostgresHandle;
  /** Migrations applied now. */
  applied: string[];
}

/**
 * The database of every entry point (service, CLI): DATABASE_URL, or the
 * embedded PostgreSQL of DATA_DIR; migrated before use. The embedded starter is
 * passed in so that callers decide how the package is loaded (main.ts strips
 * the signal handlers it installs).
 */
export async function openDatabase(
  env: LedgerEnv,
  startEmbedded: (opts: EmbeddedPostgresOptions) => Promise<EmbeddedPostgresHandle>,
): Promise<OpenDatabase> {
  const embedded = env.DATABASE_URL ? undefined : await startEmbedded({ dataDir: env.DATA_DIR, database: 'ledger' });
  const url = env.DATABASE_URL ?? embedded!.url;
  try {
    return { url, embedded, applied: await migrate(url) };
  } catch (err) {
    await embedded?.stop(); // a failed start leaves no PostgreSQL of its own running
    throw err;
  }
}
