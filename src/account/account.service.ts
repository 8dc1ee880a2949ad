import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { LedgerError } from '../common/errors/ledger.error';
import { AccountEntity } from './account.entity';
import { Account, AccountRow } from './account.model';

@Injectable()
export class AccountService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /** The account table, in the current transaction when there is one. */
  private get accounts() {
    return this.txHost.tx.getRepository(AccountEntity);
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

  /** Stops the account's spending (pays, holds); the API's freezeAccount and settlement's arrears both use it. */
  freeze(appId: number, reason: string): Promise<Account> {
    return this.change(appId, { frozen: true, freezeReason: reason });
  }

  unfreeze(appId: number): Promise<Account> {
    return this.change(appId, { frozen: false, freezeReason: null });
  }

  /** One UPDATE (every change of an account bumps its version); the row it wrote is the answer. */
  private async change(appId: number, set: Pick<AccountEntity, 'frozen' | 'freezeReason'>): Promise<Account> {
    const result = await this.accounts
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
