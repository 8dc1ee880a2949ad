import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LedgerError } from '../common/errors/ledger.error';
import { rowsOfKnownApp } from '../common/known-app';
import { Bill, BillConnection, BillRow } from './bill.model';
import { BillsArgs } from './dto/bills.args';

const CURSOR_PREFIX = 'bill:';

function encodeCursor(id: string): string {
  return Buffer.from(CURSOR_PREFIX + id).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString();
  const id = Number(text.slice(CURSOR_PREFIX.length));
  if (!text.startsWith(CURSOR_PREFIX) || !Number.isSafeInteger(id) || id < 1) {
    throw LedgerError.invalid('after', 'not a cursor from this API');
  }
  return id;
}

/** Reads of the ledger. Writes are ledger commands (ledger_run, src/database/functions). */
@Injectable()
export class BillService {
  constructor(private readonly db: EntityManager) {}

  async page(args: BillsArgs): Promise<BillConnection> {
    const before = args.after ? decodeCursor(args.after) : null;
    const rows: BillRow[] = await this.db.query(
      `SELECT * FROM bill
       WHERE app_id = $1
         AND ($2::bigint IS NULL OR id < $2)
         AND ($3::text IS NULL OR channel = $3)
         AND ($4::timestamptz IS NULL OR created_at >= $4)
         AND ($5::timestamptz IS NULL OR created_at < $5)
       ORDER BY id DESC
       LIMIT $6`,
      [args.appId, before, args.channel ?? null, args.from ?? null, args.to ?? null, args.first + 1],
    );
    await rowsOfKnownApp(this.db, args.appId, rows);
    const page = rows.slice(0, args.first).map(Bill.fromRow);
    const edges = page.map((node) => ({ cursor: encodeCursor(node.id), node }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > args.first, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  /** A serial's bills: a pay and its rollback share the billId. An unknown serial is NOT_FOUND, like a hold. */
  async byBillId(appId: number, billId: number): Promise<Bill[]> {
    const rows: BillRow[] = await this.db.query('SELECT * FROM bill WHERE app_id = $1 AND bill_id = $2 ORDER BY id', [
      appId,
      billId,
    ]);
    if (!(await rowsOfKnownApp(this.db, appId, rows)).length) {
      throw LedgerError.notFound(`no bill ${billId} for app ${appId}`);
    }
    return rows.map(Bill.fromRow);
  }
}
