import type { Pool } from 'pg';

/**
 * What the bench (bench.ts) and the PostgreSQL cost count (pg-cost.ts) prepare by SQL, as the ledger would have
 * written it: funded accounts and the rows the other mutations consume.
 */

/** Each account's funding, in cents: no pay of the bench runs it out. */
export const FUNDS = 1_000_000_000_000;

/** Funded accounts 1..accounts written as the ledger would have them: an account and its RECHARGE bill. */
export async function fundAccounts(pool: Pool, accounts: number): Promise<void> {
  await pool.query(
    `WITH a AS (INSERT INTO account (app_id, balance, version)
                SELECT g, $2, 1 FROM generate_series(1, $1) g RETURNING app_id, balance)
     INSERT INTO bill (bill_id, app_id, order_no, channel, amount, old_balance, new_balance, status, ret_code, info)
     SELECT nextval('serial_seq'), app_id, 'bench-fund', 'RECHARGE', balance, 0, balance, 'SUCCESS', 0, 'bench funding' FROM a`,
    [accounts, FUNDS],
  );
}

/** Pre-made rows the mutation scenarios consume, one per request: coupons, pays to roll back, open holds. */
export interface Stock {
  coupons: { id: string; appId: number }[];
  pays: { orderNo: string; appId: number }[];
  captures: { id: string; appId: number }[];
  releases: { id: string; appId: number }[];
}

/**
 * Prices for pays by items, and, written by SQL as the ledger would have them, what the other mutation
 * scenarios consume, n of each: ISSUED coupons, SUCCESS pays of 1 cent (to roll back) and open holds of 1 cent (to
 * capture and to release), spread over the accounts but app 1 (the bench's hot account).
 */
export async function prepareStock(pool: Pool, accounts: number, n: number): Promise<Stock> {
  const spread = `2 + (g % ($1 - 1))`;
  await pool.query(
    `INSERT INTO price (name, price, billing) VALUES ('bench-a', 3, 'ONE_TIME'), ('bench-b', 5, 'ONE_TIME')`,
  );
  await pool.query(
    `INSERT INTO coupon_template (code, name, discount, min_spend, per_app_limit, valid_days)
     VALUES ('BENCH', 'bench', 1, 0, 1000000, 30)`,
  );
  const coupons = await pool.query<{ id: string; app_id: number }>(
    `INSERT INTO coupon (app_id, template_code, discount, min_spend, status, order_no, expires_at)
     SELECT ${spread}, 'BENCH', 1, 0, 'ISSUED', 'bench-coupon-' || g, now() + interval '30 days'
       FROM generate_series(1, $2) g RETURNING id::text, app_id`,
    [accounts, n],
  );
  const pays = await pool.query<{ order_no: string; app_id: number }>(
    `WITH b AS (INSERT INTO bill (bill_id, app_id, order_no, channel, amount, old_balance, new_balance, status, ret_code)
                SELECT nextval('serial_seq'), ${spread}, 'bench-pay-' || g, 'PAY', -1, $3::bigint, $3::bigint - 1, 'SUCCESS', 0
                  FROM generate_series(1, $2) g RETURNING app_id, order_no),
          a AS (UPDATE account SET balance = balance - c.n FROM (SELECT app_id, count(*) AS n FROM b GROUP BY app_id) c
                 WHERE account.app_id = c.app_id)
     SELECT order_no, app_id FROM b`,
    [accounts, n, FUNDS],
  );
  const holds = await pool.query<{ id: string; app_id: number }>(
    `WITH h AS (INSERT INTO hold (app_id, order_no, bill_id, amount, expires_at)
                SELECT ${spread}, 'bench-hold-' || g, nextval('serial_seq'), 1, now() + interval '1 day'
                  FROM generate_series(1, $2 * 2) g RETURNING app_id, id),
          a AS (UPDATE account SET held = held + c.n FROM (SELECT app_id, count(*) AS n FROM h GROUP BY app_id) c
                 WHERE account.app_id = c.app_id)
     SELECT id::text, app_id FROM h`,
    [accounts, n],
  );
  const held = holds.rows.map((r) => ({ id: r.id, appId: r.app_id }));
  return {
    coupons: coupons.rows.map((r) => ({ id: r.id, appId: r.app_id })),
    pays: pays.rows.map((r) => ({ orderNo: r.order_no, appId: r.app_id })),
    captures: held.filter((_, i) => i % 2 === 0),
    releases: held.filter((_, i) => i % 2 === 1),
  };
}
