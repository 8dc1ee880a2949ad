import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccountModule } from './account/account.module';
import { AppLockModule } from './app-lock/app-lock.module';
import { AssignModule } from './assign/assign.module';
import { AuthModule } from './auth/auth.module';
import { BillModule } from './bill/bill.module';
import { CouponModule } from './coupon/coupon.module';
import { graphqlConfig } from './common/graphql/graphql.config';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { ledgerValidationPipe } from './common/validation';
import { LedgerEnv, validateEnv } from './config/env';
import { dataSourceOptions } from './database/data-source-options';
import { EntitlementModule } from './entitlement/entitlement.module';
import { HealthModule } from './health/health.module';
import { HoldModule } from './hold/hold.module';
import { PaymentModule } from './payment/payment.module';
import { PriceModule } from './price/price.module';

export interface AppOptions {
  /** The database to use: DATABASE_URL, or the embedded PostgreSQL started by main.ts. */
  databaseUrl: string;
}

@Module({})
export class AppModule {
  static forRoot(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, validate: validateEnv, ignoreEnvFile: true, cache: true }),
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<LedgerEnv, true>) => ({
            pinoHttp: {
              level: config.get('LOG_LEVEL'),
              autoLogging: false,
              genReqId: (req) => (req.headers['x-request-id'] as string | undefined) ?? randomUUID(),
              redact: ['req.headers.authorization'],
            },
          }),
        }),
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<LedgerEnv, true>) =>
            dataSourceOptions(opts.databaseUrl, {
              poolSize: config.get('DB_POOL_SIZE'),
              lockTimeoutMs: config.get('IDEMPOTENCY_WAIT_MS'),
            }),
        }),
        ClsModule.forRoot({
          global: true,
          middleware: { mount: true },
          plugins: [
            new ClsPluginTransactional({
              adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: DataSource }),
            }),
          ],
        }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [ConfigService],
          useFactory: (config: ConfigService<LedgerEnv, true>) =>
            graphqlConfig(validateEnv(process.env as Record<string, unknown>)),
        }),
        ScheduleModule.forRoot(),
        AuthModule,
        IdempotencyModule,
        HealthModule,
        AccountModule,
        AppLockModule,
        AssignModule,
        BillModule,
        PriceModule,
        EntitlementModule,
        PaymentModule,
        CouponModule,
        HoldModule,
      ],
      providers: [{ provide: APP_PIPE, useValue: ledgerValidationPipe }],
    };
  }
}
