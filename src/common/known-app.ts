import type { EntityManager } from 'typeorm';
import { LedgerError } from './errors/ledger.error';

/**
 * Reads scoped to an app (decided for issue 13, documented in the README):
 * an app without an account is NOT_FOUND, for a lookup (`account`, `hold`,
 * `bill`) as for a list (`bills`, `holds`, `coupons`, `entitlements`); an app
 * that exists but has nothing to list gets an empty list. Rows exist only for
 * apps with an account, so the account is looked up only when there are none:
 * a read that finds something costs nothing more.
 */
export async function rowsOfKnownApp<T>(tx: EntityManager, appId: number, rows: T[]): Promise<T[]> {
  if (rows.length) return rows;
  const found: unknown[] = await tx.query('SELECT 1 FROM account WHERE app_id = $1', [appId]);
  if (!found.length) throw LedgerError.notFound(`no account for app ${appId}`);
  return rows;
}
