import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { rowsOfKnownApp } from '../common/known-app';
import { EntitlementEntity } from './entitlement.entity';
import { Entitlement } from './entitlement.model';

/** What pays delivered: the lines of their bills (the `entitlement` view), ended by their rollbacks; read here. */
@Injectable()
export class EntitlementService {
  constructor(private readonly db: EntityManager) {}

  private get entitlements() {
    return this.db.getRepository(EntitlementEntity);
  }

  async list(appId: number, active?: boolean | null): Promise<Entitlement[]> {
    const rows = await this.entitlements.find({
      where: { appId, ...(typeof active === 'boolean' && { active }) },
      order: { billId: 'ASC', line: 'ASC' },
    });
    return rowsOfKnownApp(this.db, appId, rows);
  }
}
