import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { BillPricing } from './bill-pricing.model';
import { Bill } from './bill.model';

/** `Bill.pricing`, read from `priceInfo` when asked for (also on replayed answers). */
@Resolver(() => Bill)
export class BillPricingResolver {
  @ResolveField(() => BillPricing, {
    nullable: true,
    description: 'The typed form of priceInfo; null when the bill has no pricing (a recharge, a pay of an amount).',
  })
  pricing(@Parent() bill: Bill): BillPricing | null {
    return BillPricing.fromJson(bill.priceInfo);
  }
}
