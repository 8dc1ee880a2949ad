import { FunctionsMigration } from '../sql-files';

/**
 * Reinstalls ledger_run (src/database/functions/ledger_run.sql): a command's dedupe key is written once, with its
 * answer, at the end of its statement, instead of a claim row inserted first and then updated with the answer (or
 * deleted when the answer is not stored). Under the account row lock, which every money command of the app takes
 * first, the key is looked up again, so a duplicate that committed meanwhile still replays; the key's unique index
 * stays the backstop (a key found taken at the insert undoes the statement, LG002, and the service runs it again).
 * One row version per key instead of two: less WAL, no dead claim versions for VACUUM.
 */
export class KeyWrittenOnce1763900002000 extends FunctionsMigration('KeyWrittenOnce1763900002000', ['ledger_run']) {}
