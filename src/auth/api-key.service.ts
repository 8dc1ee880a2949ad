import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LedgerError } from '../common/errors/ledger.error';
import { AdminKey } from './admin-key';
import { ApiKeyRole, Principal } from './principal';
import { sqlRows } from '../database/sql';
import type { LedgerEnv } from '../config/env';
import { PrincipalCache } from './principal-cache';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface CreatedKey {
  id: string;
  key: string;
  role: ApiKeyRole;
  appId: number | null;
  label: string;
}

/** API keys: the secret is shown once and stored only as its SHA-256 hash. */
@Injectable()
export class ApiKeyService {
  private readonly adminHash: Buffer;
  /** Found keys for AUTH_CACHE_MS (src/auth/principal-cache.ts: what that means for revocation). */
  private readonly cache: PrincipalCache;

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    adminKey: AdminKey,
    config: ConfigService<LedgerEnv, true>,
  ) {
    this.adminHash = Buffer.from(hashKey(adminKey.value), 'hex');
    this.cache = new PrincipalCache(config.get('AUTH_CACHE_MS'));
  }

  async authenticate(key: string): Promise<Principal | null> {
    const hash = hashKey(key);
    if (timingSafeEqual(Buffer.from(hash, 'hex'), this.adminHash)) {
      return { keyId: 'admin', role: ApiKeyRole.ADMIN, appId: null, label: 'admin' };
    }
    const cached = this.cache.get(hash);
    if (cached) return cached;
    const generation = this.cache.begin();
    const rows: { id: string; role: ApiKeyRole; app_id: number | null; label: string }[] = await this.txHost.tx.query(
      'SELECT id, role, app_id, label FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL',
      [hash],
    );
    const r = rows[0];
    if (!r) return null;
    const principal: Principal = { keyId: r.id, role: r.role, appId: r.app_id, label: r.label };
    this.cache.set(hash, principal, generation);
    return principal;
  }

  async create(role: ApiKeyRole, appId: number | null | undefined, label: string): Promise<CreatedKey> {
    if (role === ApiKeyRole.APP && !appId) throw LedgerError.invalid('input.appId', 'an APP key needs an appId');
    if (role !== ApiKeyRole.APP && appId)
      throw LedgerError.invalid('input.appId', `a ${role} key is not bound to an app`);
    const key = `lk_${randomBytes(32).toString('base64url')}`;
    const rows: { id: string }[] = await this.txHost.tx.query(
      'INSERT INTO api_key (key_hash, role, app_id, label) VALUES ($1, $2, $3, $4) RETURNING id',
      [hashKey(key), role, appId ?? null, label],
    );
    return { id: rows[0].id, key, role, appId: appId ?? null, label };
  }

  async revoke(id: string): Promise<boolean> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw LedgerError.invalid('id', 'not an API key id');
    const rows = await sqlRows<{ id: string }>(
      this.txHost.tx,
      'UPDATE api_key SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING id',
      [id],
    );
    if (!rows.length) throw LedgerError.notFound(`no API key ${id}`);
    // Committed (one statement): this instance refuses the key from now on, others within AUTH_CACHE_MS.
    this.cache.forgetKey(rows[0].id);
    return true;
  }
}
