import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ErrorCode } from '../common/errors/error-codes';
import { LedgerError } from '../common/errors/ledger.error';
import { AppLockEntity } from './app-lock.entity';
import { AppLock, StoredLease } from './app-lock.model';

/**
 * AppLock leases live in PostgreSQL (table app_lock), never in memory, so
 * they hold across instances. A lease past its expires_at is free again: that
 * is the seed's stale-lock repair, done by the acquiring statement itself.
 */
@Injectable()
export class AppLockService {
  constructor(private readonly db: EntityManager) {}

  private get leases() {
    return this.db.getRepository(AppLockEntity);
  }

  async get(appId: number): Promise<AppLock> {
    const row = await this.leases.findOneBy({ appId });
    return AppLock.of(row ?? { appId, owner: null, token: 0, expiresAt: null });
  }

  /**
   * Takes the lease or answers ACCOUNT_LOCKED; one statement on a pool connection, so it commits on its own,
   * whatever transaction the caller has open. One conditional upsert (free or expired: take it), so SQL is
   * the point here.
   */
  async acquire(appId: number, owner: string, ttlSeconds: number): Promise<AppLock> {
    const rows: StoredLease[] = await this.db.query(
      `INSERT INTO app_lock (app_id, owner, token, expires_at, updated_at)
         VALUES ($1, $2, 1, now() + make_interval(secs => $3), now())
         ON CONFLICT (app_id) DO UPDATE
            SET owner = EXCLUDED.owner, token = app_lock.token + 1,
                expires_at = EXCLUDED.expires_at, updated_at = now()
          WHERE app_lock.owner IS NULL OR app_lock.expires_at <= now()
         RETURNING app_id AS "appId", owner, token, expires_at AS "expiresAt"`,
      [appId, owner, ttlSeconds],
    );
    if (!rows[0]) {
      const held = await this.get(appId);
      throw new LedgerError(
        ErrorCode.ACCOUNT_LOCKED,
        `app ${appId} is leased by ${held.owner ?? 'another owner'} until ${held.expiresAt?.toISOString() ?? 'soon'}`,
      );
    }
    return AppLock.of(rows[0]);
  }

  /**
   * Releases the lease taken under `token`. Only the latest token may release
   * (it is the holder's, even if its lease has just expired and nobody took it
   * since: then it simply stays free). Any older token is stale: the lease was
   * taken again after it, so it is refused with ACCOUNT_LOCKED (the lease is,
   * or was, another owner's) and nothing changes. A token never issued for the
   * app is refused the same way. Releasing does not change the token, so the
   * next acquisition still gets a larger one.
   */
  async release(appId: number, token: number): Promise<AppLock> {
    // Committed on its own as acquire is.
    const { affected } = await this.leases.update(
      { appId, token },
      { owner: null, expiresAt: null, updatedAt: () => 'now()' },
    );
    if (!affected) {
      const now = await this.get(appId);
      throw new LedgerError(
        ErrorCode.ACCOUNT_LOCKED,
        `token ${token} does not hold the lease of app ${appId} (the latest token is ${now.token}); nothing released`,
      );
    }
    return AppLock.of({ appId, owner: null, token, expiresAt: null });
  }

  /** Runs `work` under the app's lease, releasing it after (also on failure). */
  async withLease<T>(
    appId: number,
    owner: string,
    ttlSeconds: number,
    work: (lease: AppLock) => Promise<T>,
  ): Promise<T> {
    const lease = await this.acquire(appId, owner, ttlSeconds);
    try {
      return await work(lease);
    } finally {
      await this.release(appId, lease.token).catch(() => undefined); // expired meanwhile: nothing to release
    }
  }
}
