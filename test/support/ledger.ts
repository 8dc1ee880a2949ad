import { Pool } from 'pg';
import { GqlResult, Service } from './service';

export const MONEY_FIELDS = `replayed
  bill { id billId appId orderNo channel amount oldBalance newBalance status retCode info user priceInfo srcIp createdAt }
  account { appId balance held available frozen version }`;

export const PAY = `mutation Pay($input: PayInput!) { pay(input: $input) { ${MONEY_FIELDS} } }`;
export const RECHARGE = `mutation Recharge($input: RechargeInput!) { recharge(input: $input) { ${MONEY_FIELDS} } }`;
export const HOLD_FIELDS = `id appId orderNo billId amount captured status expiresAt createdAt endedAt`;
export const HOLD = `mutation Hold($input: HoldInput!) { hold(input: $input) { replayed hold { ${HOLD_FIELDS} } account { appId balance held available } } }`;
export const CAPTURE = `mutation Capture($input: CaptureHoldInput!) { captureHold(input: $input) { ${MONEY_FIELDS} } }`;
export const RELEASE = `mutation Release($input: ReleaseHoldInput!) { releaseHold(input: $input) { replayed hold { ${HOLD_FIELDS} } account { appId balance held available } } }`;
export const ROLLBACK = `mutation Rollback($input: RollbackInput!) { rollback(input: $input) { ${MONEY_FIELDS} } }`;

let orderSeq = 0;
/** A fresh order number, unique within the run. */
export function orderNo(prefix = 'o'): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${++orderSeq}`;
}

export function ok<T>(r: GqlResult<T>): T {
  if (r.errors?.length || !r.data) throw new Error(`expected data, got ${JSON.stringify(r.errors ?? r)}`);
  return r.data;
}

export function errorOf(r: GqlResult): { code: string; retCode: number; field?: string; replayed?: boolean } {
  if (!r.errors?.length) throw new Error(`expected an error, got ${JSON.stringify(r.data)}`);
  return r.errors[0].extensions;
}

/** Opens an account and recharges it to `balance` cents. */
export async function fundedAccount(svc: Service, appId: number, balance: number): Promise<void> {
  ok(await svc.gql(`mutation($a:Int!){ openAccount(appId:$a){ appId } }`, { a: appId }));
  if (balance > 0) ok(await svc.gql(RECHARGE, { input: { orderNo: orderNo('fund'), appId, amount: balance } }));
}

export interface Break {
  appId: number;
  what: string;
}

/**
 * The test oracle of ledger integrity, in plain SQL: for every account the
 * SUCCESS bill amounts sum to the balance, each bill's old + amount = new, and
 * the applied bills chain; the open holds sum to `held`, and every hold has
 * its one SUCCESS HOLD bill and, once ended, exactly one SUCCESS CAPTURE or
 * RELEASE bill (sharing its billId) whose amount is minus what it captured.
 * Independent of the service's own audit code.
 */
export async function ledgerBreaks(pool: Pool): Promise<Break[]> {
  const breaks: Break[] = [];
  const sums = await pool.query(
    `SELECT a.app_id, a.balance, COALESCE(SUM(b.amount) FILTER (WHERE b.status = 'SUCCESS'), 0)::bigint AS bill_sum
       FROM account a LEFT JOIN bill b ON b.app_id = a.app_id
      GROUP BY a.app_id, a.balance`,
  );
  for (const r of sums.rows) {
    if (Number(r.balance) !== Number(r.bill_sum))
      breaks.push({ appId: r.app_id, what: `balance ${r.balance} != bills ${r.bill_sum}` });
  }
  const arith = await pool.query(
    `SELECT app_id, id FROM bill WHERE status = 'SUCCESS' AND old_balance + amount <> new_balance`,
  );
  for (const r of arith.rows) breaks.push({ appId: r.app_id, what: `bill ${r.id}: old + amount != new` });
  const chain = await pool.query(
    `SELECT app_id, id FROM (
       SELECT app_id, id, old_balance, lag(new_balance) OVER (PARTITION BY app_id ORDER BY id) AS prev
         FROM bill WHERE status = 'SUCCESS') t
      WHERE prev IS NOT NULL AND prev <> old_balance`,
  );
  for (const r of chain.rows) breaks.push({ appId: r.app_id, what: `bill ${r.id}: does not chain` });
  const neg = await pool.query(`SELECT app_id FROM account WHERE balance < 0 OR held < 0 OR held > balance`);
  for (const r of neg.rows) breaks.push({ appId: r.app_id, what: 'negative balance or held > balance' });
  const held = await pool.query(
    `SELECT a.app_id, a.held, COALESCE(h.open_sum, 0)::bigint AS open_sum
       FROM account a
       LEFT JOIN (SELECT app_id, SUM(amount) AS open_sum FROM hold WHERE status = 'OPEN' GROUP BY app_id) h
              ON h.app_id = a.app_id
      WHERE a.held <> COALESCE(h.open_sum, 0)`,
  );
  for (const r of held.rows) breaks.push({ appId: r.app_id, what: `held ${r.held} != open holds ${r.open_sum}` });
  const holdBills = await pool.query(
    `SELECT h.app_id, h.id, h.status,
            count(*) FILTER (WHERE b.channel = 'HOLD') AS placed,
            count(*) FILTER (WHERE b.channel IN ('CAPTURE', 'RELEASE')) AS ended,
            COALESCE(SUM(b.amount) FILTER (WHERE b.channel = 'CAPTURE'), 0) AS captured_amount, h.captured
       FROM hold h
       LEFT JOIN bill b ON b.app_id = h.app_id AND b.bill_id = h.bill_id AND b.status = 'SUCCESS'
      GROUP BY h.app_id, h.id, h.status, h.captured
     HAVING count(*) FILTER (WHERE b.channel = 'HOLD') <> 1
         OR count(*) FILTER (WHERE b.channel IN ('CAPTURE', 'RELEASE')) <> (CASE WHEN h.status = 'OPEN' THEN 0 ELSE 1 END)
         OR COALESCE(SUM(b.amount) FILTER (WHERE b.channel = 'CAPTURE'), 0) <> -h.captured`,
  );
  for (const r of holdBills.rows) {
    breaks.push({
      appId: r.app_id,
      what: `hold ${r.id} (${r.status}): ${r.placed} HOLD bills, ${r.ended} ending bills, captured ${r.captured} vs bills ${r.captured_amount}`,
    });
  }
  return breaks;
}
