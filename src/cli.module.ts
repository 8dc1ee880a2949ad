import { DynamicModule, Module } from '@nestjs/common';
import { AppLockModule } from './app-lock/app-lock.module';
import { AuditCommand } from './audit/audit.command';
import { AuditModule } from './audit/audit.module';
import { BillModule } from './bill/bill.module';
import { CoreModule, CoreOptions } from './core.module';
import { ReconcileCommand } from './reconciliation/reconcile.command';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { SettleCommand } from './settlement/settle.command';
import { SettlementModule } from './settlement/settlement.module';

/** The CLI's application context: the core, the ledger and the three batch features; no HTTP, no cron. */
@Module({})
export class CliModule {
  static forRoot(opts: CoreOptions): DynamicModule {
    return {
      module: CliModule,
      imports: [
        CoreModule.forRoot(opts),
        AppLockModule,
        BillModule,
        AuditModule,
        ReconciliationModule,
        SettlementModule,
      ],
      providers: [AuditCommand, ReconcileCommand, SettleCommand],
    };
  }
}
