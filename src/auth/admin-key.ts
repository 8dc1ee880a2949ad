import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LedgerEnv } from '../config/env';

/**
 * The ADMIN key: ADMIN_API_KEY, or (outside production) one generated once and
 * kept in DATA_DIR/admin.key so that it survives restarts.
 */
export class AdminKey {
  constructor(
    readonly value: string,
    readonly generated: boolean,
  ) {}

  static fromEnv(env: LedgerEnv): AdminKey {
    if (env.ADMIN_API_KEY) return new AdminKey(env.ADMIN_API_KEY, false);
    const dir = resolve(env.DATA_DIR);
    const file = join(dir, 'admin.key');
    if (existsSync(file)) return new AdminKey(readFileSync(file, 'utf8').trim(), true);
    mkdirSync(dir, { recursive: true });
    const key = `lk_admin_${randomBytes(24).toString('base64url')}`;
    writeFileSync(file, key + '\n', { mode: 0o600 });
    return new AdminKey(key, true);
  }
}
