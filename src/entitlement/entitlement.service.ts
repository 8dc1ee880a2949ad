import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { rowsOfKnownApp } from '../common/known-app';
import { EntitlementEntity } from './entitlement.entity';
import { Entitlement } from './entitlement.model';

/** What pays delivered: the lines of their bills (the `entitlement` view), ended by their rollbacks; read here. */
@Injectable()
export class EntitlementService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /** The entitlement view, in the current transaction when there is one. */
  private get entitlements() {
    return this.txHost.tx.getRepository(EntitlementEntity);
  }

  async list(appId: number, active?: boolean | null): Promise<Entitlement[]> {
    const rows = await this.entitlements.find({
      where: { appId, ...(typeof active === 'boolean' && { active }) },
      order: { billId: 'ASC', line: 'ASC' },
    });
    return rowsOfKnownApp(this.txHost.tx, appId, rows);
  }
}
