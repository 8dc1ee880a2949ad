import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LedgerError } from '../common/errors/ledger.error';
import { AccountEntity } from './account.entity';
import { Account, AccountRow } from './account.model';

@Injectable()
export class AccountService {
  constructor(private readonly db: EntityManager) {}

  private get accounts() {
    return this.db.getRepository(AccountEntity);
  }

  async get(appId: number): Promise<Account> {
    const row = await this.accounts.findOneBy({ appId });
    if (!row) throw LedgerError.notFound(`no account for app ${appId}`);
    return Account.of(row);
  }

  /** Opens the account; an existing one is returned as it is. */
  async open(appId: number): Promise<Account> {
    await this.accounts.createQueryBuilder().insert().values({ appId }).orIgnore().execute();
    return this.get(appId);
  }

  /**
   * Stops the account's spending (pays, holds); the API's freezeAccount and settlement's arrears both use it,
   * settlement in its own transaction (`tx`).
   */
  freeze(appId: number, reason: string, tx: EntityManager = this.db): Promise<Account> {
    return this.change(tx, appId, { frozen: true, freezeReason: reason });
  }

  unfreeze(appId: number): Promise<Account> {
    return this.change(this.db, appId, { frozen: false, freezeReason: null });
  }

  /** One UPDATE (every change of an account bumps its version); the row it wrote is the answer. */
  private async change(
    tx: EntityManager,
    appId: number,
    set: Pick<AccountEntity, 'frozen' | 'freezeReason'>,
  ): Promise<Account> {
    const result = await tx
      .getRepository(AccountEntity)
      .createQueryBuilder()
      .update()
      .set({ ...set, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where({ appId })
      .returning('*')
      .execute();
    const rows = result.raw as AccountRow[];
    if (!rows[0]) throw LedgerError.notFound(`no account for app ${appId}`);
    return Account.fromRow(rows[0]);
  }
}
