import { Field, ObjectType } from '@nestjs/graphql';
import { Account } from '../../account/account.model';
import { Bill } from '../bill.model';

/**
 * What recharge, pay, rollback and captureHold answer: the bill and the
 * account after it. Its `hold` and `coupon` fields are declared by the hold
 * and coupon modules (field resolvers), so this folder imports neither.
 */
@ObjectType({ description: 'The bill a money mutation wrote and the account after it.' })
export class MoneyResult {
  @Field(() => Bill) bill: Bill;
  @Field(() => Account) account: Account;
  @Field({ description: 'True when this is the stored answer of an earlier request with the same orderNo.' })
  replayed: boolean;
}
