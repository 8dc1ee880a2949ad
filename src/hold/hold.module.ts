import { Module } from '@nestjs/common';
import { HoldExpiryJob } from './hold-expiry.job';
import { HoldResolver } from './hold.resolver';
import { HoldService } from './hold.service';

@Module({ providers: [HoldService, HoldResolver, HoldExpiryJob], exports: [HoldService] })
export class HoldModule {}
