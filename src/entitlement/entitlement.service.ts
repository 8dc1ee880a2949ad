import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { QuoteLine } from '../price/price.service';
import { rowsOfKnownApp } from '../common/known-app';
import { EntitlementEntity } from './entitlement.entity';
import { Entitlement } from './entitlement.model';

/** Delivery: what a pay bought, recorded in the pay's own transaction. */
@Injectable()
export class EntitlementService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /** The entitlement table, in the current transaction (the pay's, the rollback's). */
  private get entitlements() {
    return this.txHost.tx.getRepository(EntitlementEntity);
  }

  async deliver(appId: number, billId: number, lines: QuoteLine[]): Promise<void> {
    if (!lines.length) return;
    await this.entitlements.insert(
      lines.map(({ name, quantity, billing, unitPrice }) => ({ appId, billId, name, quantity, billing, unitPrice })),
    );
  }

  /** Ends what a pay delivered (its rollback). */
  async endForBill(appId: number, billId: number): Promise<void> {
    await this.entitlements.update({ appId, billId, active: true }, { active: false, endedAt: () => 'now()' });
  }

  async list(appId: number, active?: boolean | null): Promise<Entitlement[]> {
    const rows = await this.entitlements.find({
      where: { appId, ...(typeof active === 'boolean' && { active }) },
      order: { id: 'ASC' },
    });
    return rowsOfKnownApp(this.txHost.tx, appId, rows);
  }
}
