import { existsSync, readFileSync } from 'node:fs';
import type { MigrationInterface, QueryRunner } from 'typeorm';
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

/**
 * Functions renamed since: old name → new name. An earlier migration that installs the old name installs the new
 * name's file under it (every migration installs a function's current file), and the migration that renamed it
 * drops the old name; so no copy of the body is kept under the old name. (OpenHoldNamed's own comment, written
 * before this map, says the old file stays in functions/retired/; landed migrations are not edited.)
 */
const RENAMED: Record<string, string> = { ledger_lock_hold: 'ledger_open_hold' };

/** The text of `functions/NAME.sql` (or of `functions/retired/NAME.sql`; a renamed function's under its old name). */
export function functionSql(name: string): string {
  const renamed = RENAMED[name];
  if (renamed) return functionSql(renamed).replace(`FUNCTION ${renamed}(`, `FUNCTION ${name}(`);
  const live = join(FUNCTIONS_DIR, `${name}.sql`);
  return readFileSync(existsSync(live) ? live : join(RETIRED_FUNCTIONS_DIR, `${name}.sql`), 'utf8');
}

/**
 * The base of a migration that only (re)installs server-side functions from their files, as a change to a function
 * is written: `export class Name1763900001600 extends FunctionsMigration('Name1763900001600', ['ledger_op_pay']) {}`.
 * It cannot be undone (the previous bodies are in the files' history, not here).
 */
export function FunctionsMigration(name: string, functions: string[]) {
  return class implements MigrationInterface {
    name = name;

    async up(q: QueryRunner): Promise<void> {
      for (const f of functions) await q.query(functionSql(f));
    }

    async down(): Promise<void> {
      throw new Error(`${name} cannot be undone: restore from a backup taken before it`);
    }
  };
}
