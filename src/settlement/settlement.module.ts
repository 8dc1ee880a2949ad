import { Module } from '@nestjs/common';
import { SettlementJob } from './settlement.job';
import { SettlementResolver } from './settlement.resolver';
import { SettlementService } from './settlement.service';

@Module({ providers: [SettlementService, SettlementResolver, SettlementJob], exports: [SettlementService] })
export class SettlementModule {}
