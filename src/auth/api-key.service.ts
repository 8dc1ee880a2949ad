import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LedgerError } from '../common/errors/ledger.error';
import { AdminKey } from './admin-key';
import { ApiKeyRole, Principal } from './principal';
import { ApiKeyEntity } from './api-key.entity';

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

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    adminKey: AdminKey,
  ) {
    this.adminHash = Buffer.from(hashKey(adminKey.value), 'hex');
  }

  /** The api_key table, in the current transaction when there is one. */
  private get keys() {
    return this.txHost.tx.getRepository(ApiKeyEntity);
  }

  async authenticate(key: string): Promise<Principal | null> {
    const hash = hashKey(key);
    if (timingSafeEqual(Buffer.from(hash, 'hex'), this.adminHash)) {
      return { keyId: 'admin', role: ApiKeyRole.ADMIN, appId: null, label: 'admin' };
    }
    // Every request authenticates: one hand-written SELECT (typed as the entity's columns) rather than
    // the repository's findOne, which measured ~150 µs more CPU per call (docs/libraries.md).
    const rows: Pick<ApiKeyEntity, 'id' | 'role' | 'appId' | 'label'>[] = await this.txHost.tx.query(
      'SELECT id, role, app_id AS "appId", label FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL',
      [hash],
    );
    const r = rows[0];
    return r ? { keyId: r.id, role: r.role, appId: r.appId, label: r.label } : null;
  }

  async create(role: ApiKeyRole, appId: number | null | undefined, label: string): Promise<CreatedKey> {
    if (role === ApiKeyRole.APP && !appId) throw LedgerError.invalid('input.appId', 'an APP key needs an appId');
    if (role !== ApiKeyRole.APP && appId)
      throw LedgerError.invalid('input.appId', `a ${role} key is not bound to an app`);
    const key = `lk_${randomBytes(32).toString('base64url')}`;
    const { identifiers } = await this.keys.insert({ keyHash: hashKey(key), role, appId: appId ?? null, label });
    return { id: String(identifiers[0].id), key, role, appId: appId ?? null, label };
  }

  async revoke(id: string): Promise<boolean> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw LedgerError.invalid('id', 'not an API key id');
    const { affected } = await this.keys.update({ id }, { revokedAt: () => 'COALESCE(revoked_at, now())' });
    if (!affected) throw LedgerError.notFound(`no API key ${id}`);
    return true;
  }
}
