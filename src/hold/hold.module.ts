import { Module } from '@nestjs/common';
import { HoldExpiryJob } from './hold-expiry.job';
import { HoldResolver } from './hold.resolver';
import { HoldService } from './hold.service';
import { MoneyResultHoldResolver } from './money-result-hold.resolver';

@Module({ providers: [HoldService, HoldResolver, HoldExpiryJob, MoneyResultHoldResolver], exports: [HoldService] })
export class HoldModule {}
