import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The folder of the server-side functions, one `NAME.sql` file per function.
 * Migrations read them when they run (the build copies them next to the
 * compiled migrations: nest-cli.json `assets`), so the function bodies live
 * in files you can read and diff, not in TypeScript strings.
 */
export const FUNCTIONS_DIR = join(__dirname, 'functions');

/** The text of `functions/NAME.sql`. */
export function functionSql(name: string): string {
  return readFileSync(join(FUNCTIONS_DIR, `${name}.sql`), 'utf8');
}
