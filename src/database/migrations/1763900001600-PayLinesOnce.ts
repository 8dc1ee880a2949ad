import { FunctionsMigration } from '../sql-files';

/**
 * Reinstalls ledger_op_pay (src/database/functions/ledger_op_pay.sql): a pay by items keeps its priced lines once,
 * as the JSON its bill records, and delivers the entitlements from that JSON (no second copy of the lines in four
 * arrays); each line's subtotal is worked out once; the posting record is the command plus the posting's fields,
 * as in every other operation. Same answers, bills and entitlements.
 */
export class PayLinesOnce1763900001600 extends FunctionsMigration('PayLinesOnce1763900001600', ['ledger_op_pay']) {}
