import { MigrationInterface, QueryRunner } from 'typeorm';
import { functionSql } from '../sql-files';

/**
 * What a pay delivered, read from the ledger instead of kept beside it: the `entitlement` table becomes a view of
 * the lines of SUCCESS pays' priceInfo, ended by the ROLLBACK bill that shares the pay's billId.
 *
 * The table was a second copy of those lines, written by every pay by items (a row and an index entry per line) and
 * updated by every rollback of one. The bill already keeps them (name, quantity, unitPrice, billing: the prices of
 * the day, never altered), in the same row as the debit, so the view cannot disagree with the ledger, and a pay by
 * items writes one index entry (bill_delivery, below) instead of two rows and two entries.
 *
 * Before the table goes, every row it holds must be what the view gives back (same pay, line, item, quantity,
 * billing, unit price and active flag); otherwise the migration stops and drops nothing. The timestamps are the
 * bills': a delivery's createdAt is its pay's, an end its rollback's (each was written in that bill's
 * transaction, so they were the same instant).
 *
 * bill_delivery is built while the bill table takes no writes (a migration runs before the service serves); on a
 * very large ledger, build it first by hand with CREATE INDEX CONCURRENTLY (same name and definition): the
 * migration then keeps it.
 */
const VIEW = `
CREATE VIEW entitlement AS
SELECT p.app_id, p.bill_id, l.line::integer AS line, l.item->>'name' AS name, (l.item->>'quantity')::integer AS quantity,
       l.item->>'billing' AS billing, (l.item->>'unitPrice')::bigint AS unit_price, r.bill_id IS NULL AS active,
       p.created_at, r.created_at AS ended_at
  FROM bill p
 CROSS JOIN LATERAL jsonb_array_elements(p.price_info->'items') WITH ORDINALITY AS l(item, line)
  LEFT JOIN bill r ON r.app_id = p.app_id AND r.bill_id = p.bill_id AND r.channel = 'ROLLBACK' AND r.status = 'SUCCESS'
 WHERE p.channel = 'PAY' AND p.status = 'SUCCESS' AND p.price_info ? 'items'`;

export class EntitlementsFromBills1763900001700 implements MigrationInterface {
  name = 'EntitlementsFromBills1763900001700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS bill_delivery ON bill (app_id, bill_id)
        WHERE channel = 'PAY' AND status = 'SUCCESS' AND price_info ? 'items'`,
    );
    await q.query(VIEW.replace('CREATE VIEW entitlement', 'CREATE VIEW entitlement_from_bills'));
    const lost: { app_id: number; bill_id: string; line: number; n: number }[] = await q.query(
      `WITH lost AS (
         SELECT app_id, bill_id, line, name, quantity, billing, unit_price, active FROM entitlement
         EXCEPT
         SELECT app_id, bill_id, line, name, quantity, billing, unit_price, active FROM entitlement_from_bills)
       SELECT app_id, bill_id, line, count(*) OVER ()::integer AS n FROM lost ORDER BY app_id, bill_id, line LIMIT 1`,
    );
    if (lost.length) {
      const [l] = lost;
      throw new Error(
        `EntitlementsFromBills: ${l.n} entitlement row(s) are not what their pay's bill says ` +
          `(first: app ${l.app_id}, bill ${l.bill_id}, line ${l.line}); nothing was dropped`,
      );
    }
    await q.query(`DROP VIEW entitlement_from_bills`);
    await q.query(`DROP TABLE entitlement`);
    await q.query(VIEW);
    for (const f of ['ledger_op_pay', 'ledger_op_rollback']) await q.query(functionSql(f));
  }

  async down(): Promise<void> {
    throw new Error(`${this.name} cannot be undone: restore from a backup taken before it`);
  }
}
