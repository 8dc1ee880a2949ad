import { FunctionsMigration } from '../sql-files';

/**
 * Reinstalls ledger_run (src/database/functions/ledger_run.sql): the key's second look-up runs only after the
 * account row lock was taken, the one wait it is for; issueCoupon, which takes no account row, no longer looks
 * its key up twice in a row. Same answers.
 */
export class KeyLookedUpOnceMore1763900002200 extends FunctionsMigration('KeyLookedUpOnceMore1763900002200', [
  'ledger_run',
]) {}
