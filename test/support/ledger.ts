import { Pool } from 'pg';
import { GqlResult, Service } from './service';

export const MONEY_FIELDS = `replayed
  bill { id billId appId orderNo channel amount oldBalance newBalance status retCode info user priceInfo srcIp createdAt }
  account { appId balance held available frozen version }`;

export const PAY = `mutation Pay($input: PayInput!) { pay(input: $input) { ${MONEY_FIELDS} } }`;
export const RECHARGE = `mutation Recharge($input: RechargeInput!) { recharge(input: $input) { ${MONEY_FIELDS} } }`;
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
 * the applied bills chain. Independent of the service's own audit code.
 */
export async function ledgerBreaks(pool: Pool): Promise<Break[]> {
  const breaks: Break[] = [];
  const sums = await pool.query(
    `SELECT a.app_id, a.balance, COALESCE(SUM(b.amount) FILTER (WHERE b.status = 'SUCCESS'), 0)::bigint AS bill_sum
       FROM account a LEFT JOIN bill b ON b.app_id = a.app_id
      GROUP BY a.app_id, a.balance`,
  );
  for (const r of sums.rows) {
    if (Number(r.balance) !== Number(r.bill_sum)) breaks.push({ appId: r.app_id, what: `balance ${r.balance} != bills ${r.bill_sum}` });
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
  return breaks;
}
