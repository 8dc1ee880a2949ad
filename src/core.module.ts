import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { LedgerEnv, validateEnv } from './config/env';
import { dataSourceOptions } from './database/data-source-options';

export interface CoreOptions {
  /** The database to use: DATABASE_URL, or the embedded PostgreSQL started by main.ts / cli.ts. */
  databaseUrl: string;
}

/**
 * What every entry point needs, the HTTP service (AppModule) and the CLI alike:
 * validated config, the database, and transactions carried by CLS.
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
        ClsModule.forRoot({
          global: true,
          // No CLS context per request: only transactions use CLS, and each one opens its own
          // (TransactionHost.withTransaction); outside one, `tx` is the plain DataSource. Mounting
          // the middleware cost every request a context (~10% of a { __typename }'s CPU).
          plugins: [
            new ClsPluginTransactional({
              adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: DataSource }),
            }),
          ],
        }),
      ],
    };
  }
}
