import { Module } from '@nestjs/common';
import { EntitlementResolver } from './entitlement.resolver';
import { EntitlementService } from './entitlement.service';

@Module({ providers: [EntitlementService, EntitlementResolver], exports: [EntitlementService] })
export class EntitlementModule {}
