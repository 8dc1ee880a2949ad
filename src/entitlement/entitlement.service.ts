import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { QuoteLine } from '../price/price.service';
import { rowsOfKnownApp } from '../common/known-app';
import { Entitlement, EntitlementRow } from './entitlement.model';

/** Delivery: what a pay bought, recorded in the pay's own transaction. */
@Injectable()
export class EntitlementService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  async deliver(appId: number, billId: number, lines: QuoteLine[]): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO entitlement (app_id, name, quantity, billing, unit_price, bill_id)
       SELECT $1, l.name, l.quantity, l.billing, l.unit_price, $2
         FROM jsonb_to_recordset($3::jsonb) AS l(name text, quantity int, billing text, unit_price bigint)`,
      [appId, billId, JSON.stringify(lines.map((l) => ({ ...l, unit_price: l.unitPrice })))],
    );
  }

  /** Ends what a pay delivered (its rollback). */
  async endForBill(appId: number, billId: number): Promise<void> {
    await this.txHost.tx.query(
      'UPDATE entitlement SET active = false, ended_at = now() WHERE app_id = $1 AND bill_id = $2 AND active',
      [appId, billId],
    );
  }

  async list(appId: number, active?: boolean | null): Promise<Entitlement[]> {
    const rows: EntitlementRow[] = await this.txHost.tx.query(
      'SELECT * FROM entitlement WHERE app_id = $1 AND ($2::boolean IS NULL OR active = $2) ORDER BY id',
      [appId, active ?? null],
    );
    return (await rowsOfKnownApp(this.txHost.tx, appId, rows)).map(Entitlement.fromRow);
  }
}
