import { join } from 'node:path';
import { types } from 'pg';
import { DataSourceOptions } from 'typeorm';

/**
 * bigint (int8) and numeric (sums) arrive from pg as strings. Money here is
 * integer cents within JavaScript's safe range (the schema's CHECKs keep it
 * there), so parse them to numbers, and fail loudly rather than lose a cent.
 */
function parseSafeInteger(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`integer out of the safe range: ${text}`);
  return n;
}
types.setTypeParser(types.builtins.INT8, parseSafeInteger);
types.setTypeParser(types.builtins.NUMERIC, parseSafeInteger);

/** The one place the TypeORM connection options are written (app and CLI). */
export function dataSourceOptions(
  url: string,
  opts: { poolSize?: number; lockTimeoutMs?: number; events?: boolean } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
    migrations: [join(__dirname, 'migrations', '*.{ts,js}')],
    // Migrations run explicitly (see migrate.ts), under an advisory lock, so
    // that several instances starting at once apply them once.
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    // Which process a connection belongs to, in pg_stat_activity (several instances or WORKERS share a database).
    applicationName: `ledger/${process.pid}`,
    extra: {
      max: opts.poolSize ?? 20,
      // Every lock wait is bounded: a duplicate orderNo waiting for the first
      // request, or a hot account row, fails over to a retryable error.
      // ledger.events=off (EVENTS=off) turns the outbox triggers off on this pool's connections.
      options: `-c lock_timeout=${opts.lockTimeoutMs ?? 5000}${opts.events === false ? ' -c ledger.events=off' : ''}`,
    },
  };
}
