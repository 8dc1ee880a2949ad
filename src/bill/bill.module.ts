import { Global, Module } from '@nestjs/common';
import { BillPricingResolver } from './bill-pricing.resolver';
import { BillResolver } from './bill.resolver';
import { BillService } from './bill.service';

/** The bill table is the ledger: BillService reads it; every write is a ledger command (common/idempotency, src/database/functions). */
@Global()
@Module({ providers: [BillService, BillResolver, BillPricingResolver], exports: [BillService] })
export class BillModule {}
