import { FunctionsMigration } from '../sql-files';

/**
 * Review mends of BillsWrittenOnce: ledger_run looks its key up, before and again under the account row lock,
 * through one function (ledger_key_answer, new) instead of two copies of the query, and a reused key's answer
 * no longer renders the stored bill it does not return; ledger_post builds a bill's JSON only for a success's
 * answer (a refusal's answer names its billId, and its event the bill's row). Same answers and events.
 */
export class KeyLookedUpByOneFunction1763900002500 extends FunctionsMigration('KeyLookedUpByOneFunction1763900002500', [
  'ledger_key_answer',
  'ledger_post',
  'ledger_run',
]) {}
