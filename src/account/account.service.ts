import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { LedgerError } from '../common/errors/ledger.error';
import { Account, AccountRow } from './account.model';
import { sqlRows } from '../database/sql';

@Injectable()
export class AccountService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private async one(sql: string, params: unknown[], appId: number): Promise<Account> {
    const rows = await sqlRows<AccountRow>(this.txHost.tx, sql, params);
    if (!rows[0]) throw LedgerError.notFound(`no account for app ${appId}`);
    return Account.fromRow(rows[0]);
  }

  get(appId: number): Promise<Account> {
    return this.one('SELECT * FROM account WHERE app_id = $1', [appId], appId);
  }

  /** Opens the account; an existing one is returned as it is. */
  async open(appId: number): Promise<Account> {
    await this.txHost.tx.query('INSERT INTO account (app_id) VALUES ($1) ON CONFLICT (app_id) DO NOTHING', [appId]);
    return this.get(appId);
  }

  /** Stops the account's spending (pays, holds); the API's freezeAccount and settlement's arrears both use it. */
  freeze(appId: number, reason: string): Promise<Account> {
    return this.one(
      `UPDATE account SET frozen = true, freeze_reason = $2, version = version + 1, updated_at = now()
       WHERE app_id = $1 RETURNING *`,
      [appId, reason],
      appId,
    );
  }

  unfreeze(appId: number): Promise<Account> {
    return this.one(
      `UPDATE account SET frozen = false, freeze_reason = NULL, version = version + 1, updated_at = now()
       WHERE app_id = $1 RETURNING *`,
      [appId],
      appId,
    );
  }
}
