import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import pinoPretty from 'pino-pretty';
import { AccountModule } from './account/account.module';
import { AppLockModule } from './app-lock/app-lock.module';
import { AssignModule } from './assign/assign.module';
import { AuthModule } from './auth/auth.module';
import { AuditModule } from './audit/audit.module';
import { BillModule } from './bill/bill.module';
import { CouponModule } from './coupon/coupon.module';
import { GraphqlExceptionFilter } from './common/errors/graphql-exception.filter';
import { graphqlConfig } from './common/graphql/graphql.config';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { ledgerValidationPipe } from './common/validation';
import { CoreModule, CoreOptions } from './core.module';
import { LedgerEnv } from './config/env';
import { EntitlementModule } from './entitlement/entitlement.module';
import { EventModule } from './event/event.module';
import { GatewayModule } from './gateway/gateway.module';
import { HealthModule } from './health/health.module';
import { HoldModule } from './hold/hold.module';
import { PaymentModule } from './payment/payment.module';
import { PriceModule } from './price/price.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { SettlementModule } from './settlement/settlement.module';
import { WebhookModule } from './webhook/webhook.module';

export type AppOptions = CoreOptions;

@Module({})
export class AppModule {
  static forRoot(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(opts),
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<LedgerEnv, true>) => {
            // Nest's logger is pino (JSON lines; pino-pretty in development). Not pino-http's request
            // middleware: it puts each request's logger in an AsyncLocalStorage, and entering one turns on
            // Node's promise hooks for the whole process, a third of a request's CPU (docs/benchmark.md).
            // The few lines logged inside a request name it themselves (`reqId`: the gateway's refusals, the
            // GraphQL error log), from the request's id (fastifyOptions.genReqId).
            const options = { level: config.get('LOG_LEVEL', { infer: true }) };
            // A person reads the development log (one coloured line per event, pino-pretty in this
            // process, synchronous so nothing is lost at exit); every other NODE_ENV logs JSON lines.
            const forRoutes: never[] = []; // pino-http's middleware on no route
            if (config.get('NODE_ENV') !== 'development') return { forRoutes, pinoHttp: options };
            return {
              forRoutes,
              pinoHttp: [
                options,
                pinoPretty({ sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }),
              ],
            };
          },
        }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [ConfigService],
          useFactory: (config: ConfigService<LedgerEnv, true>) =>
            graphqlConfig({
              NODE_ENV: config.get('NODE_ENV'),
              GRAPHQL_INTROSPECTION: config.get('GRAPHQL_INTROSPECTION'),
            }),
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
        AuditModule,
        GatewayModule,
        ReconciliationModule,
        SettlementModule,
        EventModule,
        WebhookModule,
      ],
      providers: [
        { provide: APP_PIPE, useValue: ledgerValidationPipe },
        { provide: APP_FILTER, useClass: GraphqlExceptionFilter },
      ],
    };
  }
}
