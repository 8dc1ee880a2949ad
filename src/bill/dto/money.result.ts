import { Field, ObjectType } from '@nestjs/graphql';
import { Account } from '../../account/account.model';
import { Coupon } from '../../coupon/coupon.model';
import { Hold } from '../../hold/hold.model';
import { Bill } from '../bill.model';

/** What recharge, pay, rollback and captureHold answer: the bill and the account after it. */
@ObjectType({ description: 'The bill a money mutation wrote and the account after it.' })
export class MoneyResult {
  @Field(() => Bill) bill: Bill;
  @Field(() => Account) account: Account;
  @Field(() => Hold, { nullable: true, description: 'captureHold: the hold it captured; null for other mutations.' })
  hold?: Hold | null;
  @Field(() => Coupon, {
    nullable: true,
    description: 'pay with a couponId: the coupon it used (USED); null for other mutations.',
  })
  coupon?: Coupon | null;
  @Field({ description: 'True when this is the stored answer of an earlier request with the same orderNo.' })
  replayed: boolean;
}
