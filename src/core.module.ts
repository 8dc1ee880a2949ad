import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LedgerEnv, validateEnv } from './config/env';
import { dataSourceOptions } from './database/data-source-options';

export interface CoreOptions {
  /** The database to use: DATABASE_URL, or the embedded PostgreSQL started by main.ts / cli.ts. */
  databaseUrl: string;
}

/**
 * What every entry point needs, the HTTP service (AppModule) and the CLI alike:
 * validated config and the database.
 *
 * Services take TypeORM's EntityManager; a transaction is `manager.transaction(fn)`, and what runs in it
 * receives that transaction's manager as an argument (settlement, reconciliation, audit). Nothing carries
 * a transaction implicitly: no AsyncLocalStorage (nestjs-cls), whose first use turns on Node's promise
 * hooks for the rest of the process, a third of a request's CPU (docs/benchmark.md).
 */
@Module({})
export class CoreModule {
  static forRoot(opts: CoreOptions): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, validate: validateEnv, ignoreEnvFile: true, cache: true }),
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<LedgerEnv, true>) =>
            dataSourceOptions(opts.databaseUrl, {
              poolSize: config.get('DB_POOL_SIZE'),
              lockTimeoutMs: config.get('IDEMPOTENCY_WAIT_MS'),
              events: config.get('EVENTS'),
            }),
        }),
      ],
    };
  }
}
