import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The folder of the server-side functions, one `NAME.sql` file per function.
 * Migrations read them when they run (the build copies them next to the
 * compiled migrations: nest-cli.json `assets`), so the function bodies live
 * in files you can read and diff, not in TypeScript strings.
 */
export const FUNCTIONS_DIR = join(__dirname, 'functions');

/**
 * Functions a later migration dropped, kept in `functions/retired/` because an earlier migration (which a fresh
 * database still runs) installs them. A migrated database has none of them.
 */
export const RETIRED_FUNCTIONS_DIR = join(FUNCTIONS_DIR, 'retired');

/** The text of `functions/NAME.sql` (or of `functions/retired/NAME.sql`). */
export function functionSql(name: string): string {
  const live = join(FUNCTIONS_DIR, `${name}.sql`);
  return readFileSync(existsSync(live) ? live : join(RETIRED_FUNCTIONS_DIR, `${name}.sql`), 'utf8');
}
