import { Global, Module } from '@nestjs/common';
import { BillPricingResolver } from './bill-pricing.resolver';
import { BillResolver } from './bill.resolver';
import { BillService } from './bill.service';
import { LedgerService } from './ledger.service';

/** The bill table is the ledger: BillService reads it, LedgerService writes it. */
@Global()
@Module({
  providers: [BillService, LedgerService, BillResolver, BillPricingResolver],
  exports: [BillService, LedgerService],
})
export class BillModule {}
