import { ViewColumn, ViewEntity } from 'typeorm';
import type { PriceBilling } from '../price/price.model';

/**
 * View `entitlement` (migration EntitlementsFromBills): what a pay delivered, read from the ledger. One row per
 * line of a SUCCESS PAY bill's priceInfo, keyed by the pay's bill and the line's place in it (1, 2, …); active until
 * the ROLLBACK bill sharing the pay's billId, whose time is its end. Nothing writes it: the pay's bill is the
 * delivery. The view's SQL lives in the migration (TypeORM does not manage it: `synchronize: false`).
 */
@ViewEntity({ name: 'entitlement', synchronize: false })
export class EntitlementEntity {
  @ViewColumn({ name: 'app_id' }) appId: number;
  @ViewColumn({ name: 'bill_id' }) billId: number;
  @ViewColumn() line: number;
  @ViewColumn() name: string;
  @ViewColumn() quantity: number;
  @ViewColumn() billing: PriceBilling;
  @ViewColumn({ name: 'unit_price' }) unitPrice: number;
  @ViewColumn() active: boolean;
  @ViewColumn({ name: 'created_at' }) createdAt: Date;
  @ViewColumn({ name: 'ended_at' }) endedAt: Date | null;
}
