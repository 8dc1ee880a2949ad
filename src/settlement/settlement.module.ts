import { Module } from '@nestjs/common';
import { AccountModule } from '../account/account.module';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { SettlementJob } from './settlement.job';
import { SettlementResolver } from './settlement.resolver';
import { SettlementService } from './settlement.service';

@Module({
  // The charge is a ledger command (IdempotencyService); arrears freeze through AccountService.
  imports: [AccountModule, IdempotencyModule],
  providers: [SettlementService, SettlementResolver, SettlementJob],
  exports: [SettlementService],
})
export class SettlementModule {}
