import { FunctionsMigration } from '../sql-files';

/**
 * ledger_key_answer answers a reused key with ledger_rejection (an answer not stored), the one builder of such answers,
 * instead of writing out ledger_refusal and `stored: false` again. The same answer, byte for byte.
 */
export class KeyReuseRejected1763900002900 extends FunctionsMigration('KeyReuseRejected1763900002900', [
  'ledger_key_answer',
]) {}
