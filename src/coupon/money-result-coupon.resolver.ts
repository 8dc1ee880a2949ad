import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { MoneyResult } from '../bill/dto/money.result';
import { Coupon } from './coupon.model';

/** `MoneyResult.coupon`: the coupon a pay used, as its stored answer has it. */
@Resolver(() => MoneyResult)
export class MoneyResultCouponResolver {
  @ResolveField(() => Coupon, {
    nullable: true,
    description: 'pay with a couponId: the coupon it used (USED); null for other mutations.',
  })
  coupon(@Parent() result: MoneyResult & { coupon?: Coupon }): Coupon | null {
    return result.coupon ?? null;
  }
}
